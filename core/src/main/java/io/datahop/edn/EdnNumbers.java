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

  /** The value of number token {@code tok}; NumberFormatException when it is none. */
  static Object parse(String tok) {
    char last = tok.charAt(tok.length() - 1);
    if (last == 'N') {
      String body = tok.substring(0, tok.length() - 1);
      requireInteger(body);
      return new BigInteger(body);
    }
    if (last == 'M') {
      String body = tok.substring(0, tok.length() - 1);
      requireDecimal(body);
      return new BigDecimal(body);
    }
    int sign = tok.charAt(0) == '-' || tok.charAt(0) == '+' ? 1 : 0;
    if (tok.startsWith("0x", sign) || tok.startsWith("0X", sign)) {
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
