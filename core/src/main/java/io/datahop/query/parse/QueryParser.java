package io.datahop.query.parse;

import io.datahop.edn.Edn;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.query.QueryErrors;
import io.datahop.query.ast.Binding;
import io.datahop.query.ast.Clause;
import io.datahop.query.ast.FindElem;
import io.datahop.query.ast.FindSpec;
import io.datahop.query.ast.Query;
import io.datahop.query.ast.Rule;
import io.datahop.query.ast.Term;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a query (EDN text, the vector form {@code [:find ...]} or the map form {@code {:find
 * [...]}}) and rule sets into the AST. Java data is accepted leniently: any {@link List} may
 * stand for an EDN list or vector where the meaning is unambiguous (a call starts with a plain
 * symbol, a binding form with a variable).
 */
public final class QueryParser {
  private static final Symbol DOTS = Symbol.of("...");
  private static final Symbol DOT = Symbol.of(".");

  private QueryParser() {}

  /** Parses a whole query. */
  public static Query parse(Object query) {
    Object form = query instanceof String s ? Edn.read(s) : query;
    Map<String, Object> sections = sections(form);
    Object find = sections.get("find");
    if (!(find instanceof List<?> findList) || findList.isEmpty()) {
      throw QueryErrors.incorrect("query/malformed", "a query needs a non-empty :find", form);
    }
    FindSpec spec = parseFind(findList);
    List<Term.Var> with = new ArrayList<>();
    if (sections.get("with") instanceof List<?> w) {
      for (Object o : w) {
        Term.Var v = var(o, "a :with variable", w);
        for (FindElem e : spec.elements()) {
          if (e instanceof FindElem.Var fv && fv.var().equals(v)) {
            // Datomic fails on it too (an index error); it is a mistake, so say which
            throw QueryErrors.incorrect(
                "query/malformed", "variable " + o + " is both in :find and in :with", form);
          }
        }
        with.add(v);
      }
    } else if (sections.containsKey("with")) {
      throw QueryErrors.incorrect("query/malformed", ":with takes variables", form);
    }
    List<Binding> in = new ArrayList<>();
    Object inForm = sections.get("in");
    if (inForm == null) {
      in.add(new Binding.Source(Term.Src.DEFAULT));
    } else if (inForm instanceof List<?> l) {
      for (Object o : l) {
        in.add(parseInBinding(o));
      }
    } else {
      throw QueryErrors.incorrect("query/malformed", ":in takes binding forms", form);
    }
    List<Clause> where = new ArrayList<>();
    Object whereForm = sections.get("where");
    if (whereForm instanceof List<?> l) {
      for (Object o : l) {
        where.add(parseClause(o));
      }
    } else if (whereForm != null) {
      throw QueryErrors.incorrect("query/malformed", ":where takes clauses", form);
    }
    String returnKind = null;
    List<String> names = List.of();
    for (String kind : List.of("keys", "strs", "syms")) {
      if (sections.get(kind) instanceof List<?> l) {
        if (returnKind != null) {
          throw QueryErrors.incorrect(
              "query/malformed", "only one of :keys, :strs and :syms may be given", form);
        }
        returnKind = kind;
        List<String> ns = new ArrayList<>();
        for (Object o : l) {
          ns.add(
              switch (o) {
                case Symbol s -> s.text();
                case Keyword k -> k.text();
                case String s -> s;
                default ->
                    throw QueryErrors.incorrect(
                        "query/malformed", ":" + kind + " takes symbols", l);
              });
        }
        names = List.copyOf(ns);
      }
    }
    if (returnKind != null) {
      if (spec instanceof FindSpec.Coll || spec instanceof FindSpec.Scalar) {
        throw QueryErrors.incorrect(
            "query/malformed",
            ":" + returnKind + " works only with relation and tuple find specs",
            form);
      }
      if (names.size() != spec.elements().size()) {
        throw QueryErrors.incorrect(
            "query/malformed",
            "the count of :" + returnKind + " (" + names.size() + ") must equal the count of"
                + " :find elements (" + spec.elements().size() + ")",
            form);
      }
    }
    return new Query(
        spec,
        List.copyOf(with),
        List.copyOf(in),
        List.copyOf(where),
        returnKind,
        names,
        longOpt(sections.get("offset"), "offset"),
        longOpt(sections.get("limit"), "limit"),
        longOpt(sections.get("timeout"), "timeout"));
  }

  private static Long longOpt(Object o, String what) {
    if (o == null) {
      return null;
    }
    if (o instanceof List<?> l && l.size() == 1) {
      o = l.get(0);
    }
    if (o instanceof Number n) {
      return n.longValue();
    }
    throw QueryErrors.incorrect("query/malformed", ":" + what + " takes a number", o);
  }

  private static String sectionName(Object o) {
    return switch (o) {
      case Keyword k -> k.text();
      case String s -> s.startsWith(":") ? s.substring(1) : s;
      default -> null;
    };
  }

  private static Map<String, Object> sections(Object form) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (form instanceof Map<?, ?> m) {
      for (var e : m.entrySet()) {
        String name = sectionName(e.getKey());
        if (name == null) {
          throw QueryErrors.incorrect("query/malformed", "query map keys are keywords", form);
        }
        out.put(name, e.getValue());
      }
      return out;
    }
    if (!(form instanceof List<?> l)) {
      throw QueryErrors.incorrect(
          "query/malformed", "a query is a vector [:find ...], a map {:find ...} or EDN text", form);
    }
    String current = null;
    List<Object> items = null;
    for (Object o : l) {
      if (o instanceof Keyword k) {
        current = k.text();
        if (out.containsKey(current)) {
          throw QueryErrors.incorrect("query/malformed", "section :" + current + " given twice", form);
        }
        items = new ArrayList<>();
        out.put(current, items);
      } else if (items == null) {
        throw QueryErrors.incorrect(
            "query/malformed", "a query vector starts with a keyword such as :find", form);
      } else {
        items.add(o);
      }
    }
    for (String scalarSection : List.of("offset", "limit", "timeout")) {
      if (out.get(scalarSection) instanceof List<?> v && v.size() == 1) {
        out.put(scalarSection, v.get(0));
      }
    }
    return out;
  }

  static boolean isVar(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().startsWith("?");
  }

  static boolean isSrc(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().startsWith("$");
  }

  static boolean isBlank(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().equals("_");
  }

  /** A plain symbol naming a function, rule or special form (not a variable, source or _). */
  static boolean isPlainSymbol(Object o) {
    return o instanceof Symbol s
        && !(s.namespace() == null
            && (s.name().startsWith("?")
                || s.name().startsWith("$")
                || s.name().equals("_")
                || s.name().equals("%")
                || s.name().equals("...")));
  }

  private static Term.Var var(Object o, String what, Object context) {
    if (!isVar(o)) {
      throw QueryErrors.incorrect(
          "query/malformed", what + " must be a variable, got " + QueryErrors.text(o), context);
    }
    return new Term.Var((Symbol) o);
  }

  private static FindSpec parseFind(List<?> items) {
    if (items.size() == 2 && DOT.equals(items.get(1))) {
      return new FindSpec.Scalar(List.of(parseFindElem(items.get(0))));
    }
    if (items.size() == 1 && items.get(0) instanceof List<?> inner && isBindingVector(inner)) {
      if (inner.size() == 2 && DOTS.equals(inner.get(1))) {
        return new FindSpec.Coll(List.of(parseFindElem(inner.get(0))));
      }
      if (inner.isEmpty()) {
        throw QueryErrors.incorrect("query/malformed", "an empty find tuple", items);
      }
      List<FindElem> elems = new ArrayList<>();
      for (Object o : inner) {
        elems.add(parseFindElem(o));
      }
      return new FindSpec.Tuple(List.copyOf(elems));
    }
    List<FindElem> elems = new ArrayList<>();
    for (Object o : items) {
      if (DOT.equals(o) || DOTS.equals(o)) {
        // [:find ?a ?b .] is no find spec: a scalar find has exactly one element (Datomic too)
        throw QueryErrors.incorrect(
            "query/malformed", "argument " + o + " in :find is not a variable", items);
      }
      elems.add(parseFindElem(o));
    }
    return new FindSpec.Rel(List.copyOf(elems));
  }

  /** A vector of find elements rather than a call such as {@code (count ?x)}. */
  private static boolean isBindingVector(List<?> l) {
    return !(l instanceof EdnList) && !(l.isEmpty() || isPlainSymbol(l.get(0)));
  }

  private static FindElem parseFindElem(Object o) {
    if (isVar(o)) {
      return new FindElem.Var(new Term.Var((Symbol) o));
    }
    if (o instanceof List<?> call && !call.isEmpty() && isPlainSymbol(call.get(0))) {
      Symbol fn = (Symbol) call.get(0);
      List<?> args = call.subList(1, call.size());
      if (fn.namespace() == null && fn.name().equals("pull")) {
        Term.Src src = Term.Src.DEFAULT;
        int i = 0;
        if (args.size() == 3 && isSrc(args.get(0))) {
          src = new Term.Src((Symbol) args.get(0));
          i = 1;
        }
        if (args.size() - i != 2) {
          throw QueryErrors.incorrect(
              "query/malformed", "pull takes ($src) ?var pattern", call);
        }
        Term.Var v = var(args.get(i), "the pull target", call);
        Object pat = args.get(i + 1);
        Term pattern =
            isVar(pat) || isPlainSymbol(pat) ? new Term.Var((Symbol) pat) : new Term.Const(pat);
        return new FindElem.Pull(src, v, pattern);
      }
      if (args.isEmpty()) {
        throw QueryErrors.incorrect(
            "query/malformed", "an aggregate needs a variable argument", call);
      }
      Term.Var v = var(args.get(args.size() - 1), "the aggregated value", call);
      List<Object> consts = new ArrayList<>();
      for (Object a : args.subList(0, args.size() - 1)) {
        if (a instanceof Symbol) {
          throw QueryErrors.incorrect(
              "query/malformed",
              "aggregate arguments before the variable must be constants",
              call);
        }
        consts.add(normalize(a));
      }
      return new FindElem.Aggregate(fn, List.copyOf(consts), v);
    }
    throw QueryErrors.incorrect(
        "query/malformed",
        "a find element is a variable, an aggregate or a pull expression, got "
            + QueryErrors.text(o),
        o);
  }

  private static Binding parseInBinding(Object o) {
    if (isSrc(o)) {
      return new Binding.Source(new Term.Src((Symbol) o));
    }
    if (o instanceof Symbol s && s.namespace() == null && s.name().equals("%")) {
      return new Binding.Rules();
    }
    if (isPlainSymbol(o)) {
      // a pull pattern variable: Datomic names it with a plain symbol
      return new Binding.Scalar(new Term.Var((Symbol) o));
    }
    return parseBinding(o, o);
  }

  /** Parses a binding form (scalar, blank, tuple, collection or relation). */
  public static Binding parseBinding(Object o, Object context) {
    if (isVar(o)) {
      return new Binding.Scalar(new Term.Var((Symbol) o));
    }
    if (isBlank(o)) {
      return new Binding.Blank();
    }
    if (o instanceof List<?> l && !l.isEmpty()) {
      if (l.size() == 2 && DOTS.equals(l.get(1))) {
        return new Binding.Coll(parseBinding(l.get(0), context));
      }
      if (l.size() == 1 && l.get(0) instanceof List<?> inner && !inner.isEmpty()) {
        Binding t = parseBinding(inner, context);
        if (t instanceof Binding.Tuple tuple) {
          return new Binding.Rel(tuple);
        }
        return new Binding.Coll(t);
      }
      List<Binding> items = new ArrayList<>();
      for (Object x : l) {
        items.add(parseBinding(x, context));
      }
      return new Binding.Tuple(List.copyOf(items));
    }
    throw QueryErrors.incorrect(
        "query/malformed",
        "a binding is ?var, _, [?a ?b], [?a ...] or [[?a ?b]], got " + QueryErrors.text(o),
        context);
  }

  /** Parses one {@code :where} clause. */
  public static Clause parseClause(Object o) {
    if (!(o instanceof List<?> l) || l.isEmpty()) {
      throw QueryErrors.incorrect(
          "query/malformed-clause", "a clause is a non-empty vector or list", o);
    }
    String text = QueryErrors.text(o);
    Term.Src src = Term.Src.DEFAULT;
    int start = 0;
    if (isSrc(l.get(0))) {
      src = new Term.Src((Symbol) l.get(0));
      start = 1;
      if (l.size() == 1) {
        throw QueryErrors.incorrect("query/malformed-clause", "a source with no clause", o);
      }
    }
    Object head = l.get(start);
    if (isPlainSymbol(head)) {
      return parseListClause(src, (Symbol) head, l.subList(start + 1, l.size()), o, text);
    }
    if (start == 0 && head instanceof List<?> call && !call.isEmpty() && isPlainSymbol(call.get(0))) {
      Symbol fn = (Symbol) call.get(0);
      List<Term> args = new ArrayList<>();
      for (Object a : call.subList(1, call.size())) {
        args.add(fnArg(a, o));
      }
      if (l.size() == 1) {
        return new Clause.Predicate(fn, List.copyOf(args), text);
      }
      if (l.size() == 2) {
        if (fn.namespace() == null && fn.name().equals("ground")) {
          for (Term t : args) {
            if (t instanceof Term.Var) {
              // Datomic: "Can't have variable in ground expression"; identity binds a variable
              throw QueryErrors.incorrect(
                  "query/malformed-clause", "ground takes a constant, not a variable", o);
            }
          }
        }
        return new Clause.Function(fn, List.copyOf(args), parseBinding(l.get(1), o), text);
      }
      throw QueryErrors.incorrect(
          "query/malformed-clause", "a function expression takes at most one binding", o);
    }
    List<Term> terms = new ArrayList<>();
    for (Object t : l.subList(start, l.size())) {
      terms.add(patternTerm(t, o));
    }
    if (terms.size() > 5) {
      throw QueryErrors.incorrect(
          "query/malformed-clause", "a data pattern has at most 5 positions [e a v tx added]", o);
    }
    return new Clause.Pattern(src, List.copyOf(terms), text);
  }

  private static Clause parseListClause(
      Term.Src src, Symbol head, List<?> rest, Object form, String text) {
    String name = head.namespace() == null ? head.name() : null;
    if (name != null) {
      switch (name) {
        case "not" -> {
          return new Clause.Not(src, null, clauses(rest, form, "not"), text);
        }
        case "not-join" -> {
          if (rest.isEmpty() || !(rest.get(0) instanceof List<?> vars)) {
            throw QueryErrors.incorrect(
                "query/malformed-clause", "not-join takes a vector of variables first", form);
          }
          List<Term.Var> vs = new ArrayList<>();
          for (Object v : vars) {
            vs.add(var(v, "a not-join variable", form));
          }
          return new Clause.Not(
              src, List.copyOf(vs), clauses(rest.subList(1, rest.size()), form, "not-join"), text);
        }
        case "or" -> {
          return new Clause.Or(src, List.of(), null, branches(rest, form), text);
        }
        case "or-join" -> {
          if (rest.isEmpty() || !(rest.get(0) instanceof List<?> vars)) {
            throw QueryErrors.incorrect(
                "query/malformed-clause", "or-join takes a vector of variables first", form);
          }
          List<Term.Var> required = new ArrayList<>();
          List<Term.Var> all = new ArrayList<>();
          for (int i = 0; i < vars.size(); i++) {
            Object v = vars.get(i);
            if (i == 0 && v instanceof List<?> req) {
              for (Object r : req) {
                Term.Var rv = var(r, "a required or-join variable", form);
                required.add(rv);
                all.add(rv);
              }
            } else {
              all.add(var(v, "an or-join variable", form));
            }
          }
          if (all.isEmpty()) {
            // Datomic: "'or' cannot have empty binding set"
            throw QueryErrors.incorrect(
                "query/malformed-clause", "or-join needs at least one variable", form);
          }
          return new Clause.Or(
              src,
              List.copyOf(required),
              List.copyOf(all),
              branches(rest.subList(1, rest.size()), form),
              text);
        }
        case "and" ->
            throw QueryErrors.incorrect(
                "query/malformed-clause", "and is only allowed inside or/or-join", form);
        default -> {}
      }
    }
    List<Term> args = new ArrayList<>();
    for (Object a : rest) {
      if (isSrc(a)) {
        throw QueryErrors.incorrect(
            "query/malformed-clause", "a source may only prefix a rule call", form);
      }
      args.add(patternTerm(a, form));
    }
    return new Clause.RuleCall(src, head, List.copyOf(args), text);
  }

  private static List<Clause> clauses(List<?> forms, Object context, String what) {
    if (forms.isEmpty()) {
      throw QueryErrors.incorrect(
          "query/malformed-clause", what + " needs at least one clause", context);
    }
    List<Clause> out = new ArrayList<>();
    for (Object f : forms) {
      out.add(parseClause(f));
    }
    return List.copyOf(out);
  }

  private static List<List<Clause>> branches(List<?> forms, Object context) {
    if (forms.isEmpty()) {
      throw QueryErrors.incorrect(
          "query/malformed-clause", "or needs at least one branch", context);
    }
    List<List<Clause>> out = new ArrayList<>();
    for (Object f : forms) {
      if (f instanceof List<?> l
          && !l.isEmpty()
          && l.get(0) instanceof Symbol s
          && s.namespace() == null
          && s.name().equals("and")) {
        out.add(clauses(l.subList(1, l.size()), f, "and"));
      } else {
        out.add(List.of(parseClause(f)));
      }
    }
    return List.copyOf(out);
  }

  private static Term patternTerm(Object t, Object context) {
    if (isVar(t)) {
      return new Term.Var((Symbol) t);
    }
    if (isBlank(t)) {
      return new Term.Blank();
    }
    if (isSrc(t)) {
      throw QueryErrors.incorrect(
          "query/malformed-clause", "a source " + t + " may only come first", context);
    }
    return new Term.Const(normalize(t));
  }

  private static Term fnArg(Object t, Object context) {
    if (isVar(t)) {
      return new Term.Var((Symbol) t);
    }
    if (isSrc(t)) {
      return new Term.Src((Symbol) t);
    }
    if (isBlank(t)) {
      throw QueryErrors.incorrect(
          "query/malformed-clause", "_ cannot be a function argument", context);
    }
    // (quote form) is the form itself, as Datomic reads [(q (quote [:find ...]) $) ?x]
    if (t instanceof EdnList l
        && l.size() == 2
        && l.get(0) instanceof Symbol s
        && s.namespace() == null
        && s.name().equals("quote")) {
      return new Term.Const(l.get(1));
    }
    return new Term.Const(normalize(t));
  }

  /**
   * A rule body reads the one source its call passes as {@code $}; it cannot name the query's
   * other sources (Datomic: "Cannot resolve key"), which the rule set does not know.
   */
  private static void checkRuleSources(Clause c, Object rule) {
    List<Term> args = List.of();
    Term.Src src = Term.Src.DEFAULT;
    switch (c) {
      case Clause.Pattern p -> src = p.src();
      case Clause.Predicate p -> args = p.args();
      case Clause.Function f -> args = f.args();
      case Clause.RuleCall r -> {
        src = r.src();
        args = r.args();
      }
      case Clause.Not n -> {
        src = n.src();
        n.body().forEach(b -> checkRuleSources(b, rule));
      }
      case Clause.Or o -> {
        src = o.src();
        o.branches().forEach(br -> br.forEach(b -> checkRuleSources(b, rule)));
      }
      default -> {}
    }
    for (Term t : args) {
      if (t instanceof Term.Src s && !s.equals(Term.Src.DEFAULT)) {
        src = s;
      }
    }
    if (src != null && !src.equals(Term.Src.DEFAULT)) {
      throw QueryErrors.incorrect(
          "query/unknown-source",
          "a rule body can read only $, the source its call passes; " + src.sym() + " is unknown",
          rule);
    }
  }

  /** Widens Java ints to Long (EDN has one integer type) inside constants. */
  public static Object normalize(Object v) {
    return switch (v) {
      case null -> null;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case EdnList l -> l;
      case List<?> l -> {
        boolean change = false;
        for (Object x : l) {
          if (x instanceof Integer || x instanceof Short || x instanceof Byte || x instanceof Collection) {
            change = true;
            break;
          }
        }
        if (!change) {
          yield l;
        }
        List<Object> out = new ArrayList<>(l.size());
        for (Object x : l) {
          out.add(normalize(x));
        }
        yield java.util.Collections.unmodifiableList(out);
      }
      default -> v;
    };
  }

  /** Parses a rule set: EDN text or a list of {@code [(name ?a ?b) clause...]} definitions. */
  public static List<Rule> parseRules(Object rules) {
    Object form = rules instanceof String s ? Edn.read(s) : rules;
    if (!(form instanceof Collection<?> defs)) {
      throw QueryErrors.incorrect(
          "query/malformed-rule", "rules are a vector of [(name ?vars...) clauses...]", form);
    }
    List<Rule> out = new ArrayList<>();
    for (Object d : defs) {
      if (!(d instanceof List<?> def) || def.size() < 2 || !(def.get(0) instanceof List<?> head)) {
        throw QueryErrors.incorrect(
            "query/malformed-rule", "a rule is [(name ?vars...) clause...]", d);
      }
      if (head.isEmpty() || !isPlainSymbol(head.get(0))) {
        throw QueryErrors.incorrect("query/malformed-rule", "a rule head starts with its name", d);
      }
      Symbol name = (Symbol) head.get(0);
      List<Term.Var> required = new ArrayList<>();
      List<Term.Var> free = new ArrayList<>();
      for (int i = 1; i < head.size(); i++) {
        Object v = head.get(i);
        if (i == 1 && v instanceof List<?> req) {
          for (Object r : req) {
            required.add(var(r, "a required rule variable", d));
          }
        } else {
          free.add(var(v, "a rule head variable", d));
        }
      }
      List<Clause> body = new ArrayList<>();
      for (Object c : def.subList(1, def.size())) {
        Clause parsed = parseClause(c);
        checkRuleSources(parsed, d);
        body.add(parsed);
      }
      out.add(new Rule(name, List.copyOf(required), List.copyOf(free), List.copyOf(body)));
    }
    return out;
  }
}
