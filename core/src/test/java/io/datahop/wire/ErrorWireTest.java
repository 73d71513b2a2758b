package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exceptions travel as values: datahop errors keep their category, others become RemoteExceptions. */
class ErrorWireTest {
  private static final FressianCodec CODEC = FressianCodec.standard();

  private static Throwable roundTrip(Throwable t) {
    return (Throwable) CODEC.decode(CODEC.encode(t));
  }

  /** Class, method, file and line of each frame (class loader and module are not sent). */
  private static List<String> frames(Throwable t) {
    return java.util.Arrays.stream(t.getStackTrace())
        .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
        .toList();
  }

  @Test
  void datahopErrorsKeepCategoryCodeMessageContextAndStack() {
    List<DatahopException> all =
        List.of(
            new DatahopException.Incorrect("tx/bad", "bad tx", Map.of("attr", Keyword.of("a/b"), "n", 3L), null),
            new DatahopException.NotFound("store/missing", "no store"),
            new DatahopException.Conflict("tx/unique-conflict", "taken", Map.of("value", "x"), null),
            new DatahopException.Unavailable("peer/down", "down"),
            new DatahopException.Fault("store/corrupt", "bad blob"),
            new DatahopException.Unsupported("q/feature", "nope"));
    for (DatahopException e : all) {
      Throwable back = roundTrip(e);
      assertThat(back).isExactlyInstanceOf(e.getClass()).hasMessage(e.getMessage());
      DatahopException d = (DatahopException) back;
      assertThat(d.code()).isEqualTo(e.code());
      assertThat(d.context()).isEqualTo(e.context());
      assertThat(frames(d)).isEqualTo(frames(e));
    }
  }

  @Test
  void otherExceptionsComeBackAsRemoteExceptionsWithTheirClassMessageAndStack() {
    IllegalStateException original = new IllegalStateException("boom");
    Throwable back = roundTrip(original);
    assertThat(back).isInstanceOf(RemoteException.class).hasMessage("java.lang.IllegalStateException: boom");
    RemoteException r = (RemoteException) back;
    assertThat(r.remoteClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(r.remoteMessage()).isEqualTo("boom");
    assertThat(frames(r)).isEqualTo(frames(original)).isNotEmpty();
    assertThat(roundTrip(new NullPointerException())).hasMessage("java.lang.NullPointerException");
  }

  @Test
  void causeChainsTravelMixingBothKinds() {
    Throwable t =
        new RuntimeException("outer", new DatahopException.Fault("io/x", "middle", Map.of(), new java.io.IOException("inner")));
    Throwable back = roundTrip(t);
    assertThat(back).isInstanceOf(RemoteException.class);
    assertThat(back.getCause()).isInstanceOf(DatahopException.Fault.class).hasMessage("middle");
    assertThat(back.getCause().getCause()).isInstanceOf(RemoteException.class).hasMessage("java.io.IOException: inner");
    assertThat(back.getCause().getCause().getCause()).isNull();
  }

  @Test
  void aRemoteExceptionHoppingAgainKeepsTheOriginalClass() {
    Throwable twice = roundTrip(roundTrip(new ArithmeticException("/ by zero")));
    assertThat(((RemoteException) twice).remoteClass()).isEqualTo("java.lang.ArithmeticException");
    assertThat(twice).hasMessage("java.lang.ArithmeticException: / by zero");
  }

  @Test
  void cyclicCauseChainsEnd() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);
    Throwable back = roundTrip(a);
    assertThat(back.getCause()).hasMessage("java.lang.Exception: b");
    assertThat(back.getCause().getCause()).isNull();
  }

  @Test
  void contextValuesThatCannotTravelBecomeText() {
    Object odd = new Object() {
      @Override
      public String toString() {
        return "odd thing";
      }
    };
    DatahopException e = new DatahopException.Incorrect("x/y", "m", Map.of("thing", odd, "list", List.of(odd, 1L)), null);
    DatahopException back = (DatahopException) roundTrip(e);
    assertThat(back.context()).containsEntry("thing", "odd thing").containsEntry("list", List.of("odd thing", 1L));
  }

  @Test
  void aWireExceptionTravelsAsARemoteException() {
    Throwable back = roundTrip(new WireException("bad", 3, null));
    assertThat(((RemoteException) back).remoteClass()).isEqualTo(WireException.class.getName());
  }
}
