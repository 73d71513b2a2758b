package io.datahop.edn;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The number forms the parser's fast paths leave over ({@code 42N}, {@code 1.5M}, {@code 0x1F},
 * exponents, long decimals), checked against EDN's grammar because {@link Double#parseDouble}
 * and {@link BigDecimal} alone accept more.
 */
final class EdnNumbers {
  private EdnNumbers() {}

  /**
   * A number beyond the reader's bounds ({@link io.datahop.InputBounds}): its digits are counted
   * before they are parsed, because parsing n digits into a BigInteger costs more than linear
   * time, and a decimal's scale is checked after, because every later use rescales to 10^scale.
   */
  static final class TooLarge extends RuntimeException {
    final String code;
    final String what;
    final long size;
    final long max;

    TooLarge(String code, String what, long size, long max) {
      super(what + " " + size + ", more than " + max, null, false, false);
      this.code = code;
      this.what = what;
      this.size = size;
      this.max = max;
    }
  }

  /**
   * The value of number token {@code tok}; NumberFormatException when it is none, {@link TooLarge}
   * when it has more than {@code maxDigits} digits or a decimal scale outside ±{@code maxScale}.
   */
  static Object parse(String tok, int maxDigits, int maxScale) {
    char last = tok.charAt(tok.length() - 1);
    if (last == 'N') {
      String body = tok.substring(0, tok.length() - 1);
      requireInteger(body);
      requireDigits(body, maxDigits, false);
      return new BigInteger(body);
    }
    if (last == 'M') {
      String body = tok.substring(0, tok.length() - 1);
      requireDecimal(body);
      requireDigits(body, maxDigits, false);
      BigDecimal d = new BigDecimal(body);
      if (d.scale() > maxScale || d.scale() < -maxScale) {
        throw new TooLarge("edn/scale-too-large", "a decimal of scale", d.scale(), maxScale);
      }
      return d;
    }
    int sign = tok.charAt(0) == '-' || tok.charAt(0) == '+' ? 1 : 0;
    if (tok.startsWith("0x", sign) || tok.startsWith("0X", sign)) {
      requireDigits(tok, maxDigits, true);
      BigInteger b = new BigInteger(tok.substring(sign + 2), 16);
      if (tok.charAt(0) == '-') {
        b = b.negate();
      }
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (tok.indexOf('/') >= 0) {
      throw new NumberFormatException("ratios are not supported");
    }
    requireDecimal(tok);
    return Double.parseDouble(tok);
  }

  /**
   * Refuses more than {@code max} digits in {@code t}, not counting a decimal's exponent (after
   * {@code e}) or the {@code 0x} of a hexadecimal integer ({@code hex}).
   */
  private static void requireDigits(String t, int max, boolean hex) {
    if (t.length() <= max) {
      return;
    }
    long digits = 0;
    for (int i = hex ? t.indexOf('x') + t.indexOf('X') + 2 : 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!hex && (c == 'e' || c == 'E')) {
        break;
      }
      if (hex ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9') {
        digits++;
      }
    }
    if (digits > max) {
      throw new TooLarge("edn/number-too-large", "a number of digits", digits, max);
    }
  }

  private static void requireInteger(String t) {
    int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    if (i >= t.length()) {
      throw new NumberFormatException(t);
    }
    for (; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        throw new NumberFormatException(t);
      }
    }
  }

  /** [+-]? digits ( . digits* )? ( [eE] [+-]? digits )? — Double.parseDouble alone accepts more. */
  private static void requireDecimal(String t) {
    int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    int n = t.length();
    int d0 = i;
    while (i < n && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
      i++;
    }
    if (i == d0) {
      throw new NumberFormatException(t);
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int e0 = i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      if (i == e0) {
        throw new NumberFormatException(t);
      }
    }
    if (i != n) {
      throw new NumberFormatException(t);
    }
  }
}
