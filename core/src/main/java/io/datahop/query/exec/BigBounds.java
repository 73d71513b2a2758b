package io.datahop.query.exec;

import io.datahop.InputBounds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Keeps query arithmetic on big numbers within {@link InputBounds}: every BigInteger and
 * BigDecimal operand is checked before the operation and every result after it. Bounded operands
 * bound the cost of one operation (milliseconds at worst), and bounded results stop a chain such
 * as a repeated {@code (* ?x ?x)} from doubling its size at every step. Operands are checked too
 * because a Java caller can pass any BigDecimal as an input, and a scale of a billion would make
 * the first addition compute 10^1,000,000,000.
 */
final class BigBounds {
  private BigBounds() {}

  /** A big number beyond the bounds; {@link Call} and the aggregates turn it into an error naming the clause. */
  static final class TooLarge extends RuntimeException {
    final String code;
    final Map<String, Object> context;

    TooLarge(String code, String message, Map<String, Object> context) {
      super(message, null, false, false);
      this.code = code;
      this.context = context;
    }
  }

  /** {@code n} itself, or TooLarge when it is a BigInteger or BigDecimal beyond the bounds. */
  static <N extends Number> N check(N n, String fn) {
    if (n instanceof BigInteger b) {
      if (InputBounds.tooManyBits(b, InputBounds.MAX_BITS)) {
        throw bits(fn, b.bitLength());
      }
    } else if (n instanceof BigDecimal d) {
      if (InputBounds.scaleTooLarge(d, InputBounds.MAX_SCALE)) {
        throw new TooLarge(
            "query/scale-too-large",
            fn + ": a decimal of scale " + d.scale() + ", outside ±" + InputBounds.MAX_SCALE,
            Map.of("function", fn, "scale", d.scale(), "max-scale", InputBounds.MAX_SCALE));
      }
      if (InputBounds.tooManyBits(d, InputBounds.MAX_BITS)) {
        throw bits(fn, d.unscaledValue().bitLength());
      }
    }
    return n;
  }

  private static TooLarge bits(String fn, int bits) {
    return new TooLarge(
        "query/number-too-large",
        fn + ": a number of " + bits + " bits (about " + (long) (bits * 0.30103) + " digits), more than "
            + InputBounds.MAX_BITS + " bits (" + InputBounds.MAX_DIGITS + " digits)",
        Map.of("function", fn, "bits", bits, "max-bits", InputBounds.MAX_BITS));
  }
}
