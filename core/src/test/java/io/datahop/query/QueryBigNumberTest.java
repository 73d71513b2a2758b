package io.datahop.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datahop.DatahopException;
import io.datahop.InputBounds;
import io.datahop.edn.Edn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Arithmetic on big numbers in queries stays within {@link InputBounds}: an operation whose
 * operand or result would be larger is refused with {@code query/number-too-large} or {@code
 * query/scale-too-large}, naming the function and the clause, instead of running for minutes.
 */
class QueryBigNumberTest {
  private static DatahopException.Incorrect refused(String query, Object... inputs) {
    DatahopException.Incorrect e = catchThrowableOfType(DatahopException.Incorrect.class, () -> Datalog.q(query, inputs));
    assertThat(e).as("refused: %s", query).isNotNull();
    return e;
  }

  @Test
  void repeatedSquaringIsStoppedAtTenThousandDigits() {
    // 2^(2^k): each step doubles the bits; unbounded, 30 steps would ask for 2^30 bits
    StringBuilder where = new StringBuilder("[(biginteger 3) ?x0]");
    for (int i = 0; i < 30; i++) {
      where.append(" [(*' ?x").append(i).append(" ?x").append(i).append(") ?x").append(i + 1).append(']');
    }
    DatahopException.Incorrect e = refused("[:find ?x30 . :where " + where + "]");
    assertThat(e.code()).isEqualTo("query/number-too-large");
    assertThat(e.context()).containsEntry("function", "*").containsEntry("max-bits", InputBounds.MAX_BITS);
    assertThat((Integer) e.context().get("bits")).isGreaterThan(InputBounds.MAX_BITS);
    assertThat((String) e.context().get("clause")).startsWith("[(*' ?x");
    // the same with checked * on a BigInteger, and through a rule-free fold of many arguments
    assertThat(refused("[:find ?y . :in ?x :where [(* ?x ?x ?x ?x ?x ?x ?x ?x) ?y]]", BigInteger.TWO.pow(5_000)).code())
        .isEqualTo("query/number-too-large");
  }

  @Test
  void numbersUpToTheBoundsComputeAsBefore() {
    BigInteger big = BigInteger.TEN.pow(4_000);
    assertThat(Datalog.q("[:find ?y . :in ?x :where [(* ?x ?x) ?y]]", big)).isEqualTo(big.multiply(big));
    assertThat(Datalog.q("[:find ?y . :in ?x :where [(+' ?x 1) ?y]]", Long.MAX_VALUE))
        .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
    assertThat(Datalog.q("[:find ?y . :in ?x :where [(* ?x 2.5M) ?y]]", new BigDecimal("1.5")))
        .isEqualTo(new BigDecimal("3.75"));
    assertThat(Datalog.q("[:find ?y . :where [(bigint 1e10000M) ?y]]")).isEqualTo(BigInteger.TEN.pow(10_000));
    assertThat(Datalog.q("[:find (sum ?x) . :in [?x ...]]", List.of(BigInteger.TEN.pow(9_000), 1L)))
        .isEqualTo(BigInteger.TEN.pow(9_000).add(BigInteger.ONE));
  }

  @Test
  void decimalScaleBombsAreRefused() {
    // 1E+99999999M does not even read; a Java caller can still pass one as an input
    assertThat(catchThrowableOfType(DatahopException.Incorrect.class, () -> Datalog.q("[:find ?x . :where [(ground 1e99999999M) ?x]]")).code())
        .isEqualTo("edn/scale-too-large");
    BigDecimal bomb = new BigDecimal(BigInteger.ONE, -999_999_999);
    for (String q : List.of(
        "[:find ?y . :in ?x :where [(+ ?x 1M) ?y]]",
        "[:find ?y . :in ?x :where [(- ?x 0.5M) ?y]]",
        "[:find ?y . :in ?x :where [(bigint ?x) ?y]]",
        "[:find ?y . :in ?x :where [(quot ?x 3M) ?y]]",
        "[:find ?y . :in ?x :where [(mod ?x 7) ?y]]",
        "[:find ?y . :in ?x :where [(inc ?x) ?y]]")) {
      DatahopException.Incorrect e = refused(q, bomb);
      assertThat(e.code()).as(q).isEqualTo("query/scale-too-large");
      assertThat(e.context()).as(q).containsEntry("scale", -999_999_999).containsEntry("max-scale", 10_000);
    }
    assertThat(refused("[:find (sum ?x) . :in [?x ...]]", List.of(bomb, BigDecimal.ONE)).code())
        .isEqualTo("query/scale-too-large");
  }

  @Test
  void hugeScalesInDivisionAndProductsAreRefused() {
    DatahopException.Incorrect e = refused("[:find ?y . :where [(/ 1e-10000M 1e10000M) ?y]]");
    assertThat(e.code()).isEqualTo("query/scale-too-large");
    assertThat(e.context()).containsEntry("function", "/").containsEntry("scale", 20_000);
    assertThat(refused("[:find ?y . :where [(* 1e-6000M 1e-6000M) ?y]]").code()).isEqualTo("query/scale-too-large");
    assertThat(refused("[:find ?y . :where [(quot 1e9000M 1e-9000M) ?y]]").code()).isIn("query/scale-too-large", "query/number-too-large");
    // an exact quotient that does not terminate still fails as it does in Datomic
    assertThat(refused("[:find ?y . :where [(/ 1M 3M) ?y]]").code()).isEqualTo("query/function-failed");
    assertThat(Datalog.q("[:find ?y . :where [(/ 1e-5000M 1e5000M) ?y]]")).isEqualTo(new BigDecimal("1E-10000"));
  }

  @Test
  void aBigInputOutsideTheBoundsIsRefusedBeforeItIsComputedWith() {
    BigInteger huge = BigInteger.ONE.shiftLeft(1_000_000);
    DatahopException.Incorrect e = refused("[:find ?y . :in ?x :where [(- ?x 1) ?y]]", huge);
    assertThat(e.code()).isEqualTo("query/number-too-large");
    assertThat(e.context()).containsEntry("bits", 1_000_001);
    // comparing and returning it costs no arithmetic and is allowed
    assertThat(Datalog.q("[:find ?x :in [?x ...] :where [(> ?x 0)]]", List.of(huge))).isEqualTo(Set.of(List.of(huge)));
    assertThat(Edn.write(refused("[:find ?y . :in ?x :where [(bigdec ?x) ?y]]", huge).context().get("function"))).isEqualTo("\"bigdec\"");
  }
}
