// What one Python code cell does, read from a real parse (@lezer/python), not from line regexes:
// its imports, the names it defines and uses (with Python's scoping: parameters and locals of a
// function are not uses, free names inside function bodies are kept as deferred uses), its calls
// with their literal arguments, string literals, and simple `NAME = <path>` assignments.
// The source has been through magics.ts first (IPython lines replaced, line numbers kept).

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';

export interface NameRef {
  name: string;
  /** 1-based line. */
  line: number;
}

export interface ImportInfo {
  /** Full dotted module, e.g. "sklearn.ensemble"; "" for `from . import x`. */
  module: string;
  /** For `from m import a, b`: a and b ("*" for a star import); empty for `import m`. */
  names: string[];
  relative: boolean;
  line: number;
}

/** A local name bound by an import, and what it refers to (np → numpy, RFC → sklearn.ensemble.RandomForestClassifier). */
export interface ImportBinding {
  local: string;
  target: string;
  line: number;
  from: number;
}

export type PyLiteral =
  | { kind: 'string'; value: string; text: string }
  | { kind: 'number' | 'bool' | 'none' | 'sequence'; text: string };

/** A path as the code builds it, to be evaluated once the values of names are known. */
export type PathExpr =
  | { kind: 'str'; value: string }
  | { kind: 'name'; name: string }
  | { kind: 'join'; parts: PathExpr[] }
  | { kind: 'concat'; parts: PathExpr[] };

export interface CallArg {
  /** Source text of the argument expression (cut at 200 characters). */
  text: string;
  /** Keyword for `name=value`; null for positional. */
  keyword: string | null;
  literal: PyLiteral | null;
  path: PathExpr | null;
  /** When the argument is itself a call, e.g. open(...) inside pickle.dump(obj, open(...)). */
  call: CallInfo | null;
}

export interface CallInfo {
  /** The callee as written, dotted: "pd.read_csv", "np.random.seed", "Path().read_text" ("…" for what is not a name). */
  callee: string;
  /** The callee's names when it is a plain dotted name ("np", "random", "seed"); null otherwise. */
  segments: string[] | null;
  /** The last name of the callee: "read_csv". */
  name: string;
  /** For a method call, the path its receiver evaluates to (Path("x").read_text()); null otherwise. */
  receiverPath: PathExpr | null;
  args: CallArg[];
  kwargs: CallArg[];
  /** *args or **kwargs present: arguments the analysis cannot see. */
  hasStarArgs: boolean;
  hasStarKwargs: boolean;
  line: number;
  /** Offset in the cell, to order calls against assignments. */
  from: number;
  /** True when the call is inside a def or lambda body (runs later, if at all). */
  inFunction: boolean;
}

export interface StringLiteral {
  value: string;
  line: number;
}

/** A top-level `NAME = expr` (value null when it is not a path-like expression). */
export interface Assignment {
  name: string;
  value: PathExpr | null;
  line: number;
  from: number;
  /** Where the statement ends: the name takes the value after the calls inside it ran. */
  end: number;
}

export interface PythonCellAnalysis {
  imports: ImportInfo[];
  bindings: ImportBinding[];
  /** Names bound at module level (assignments, defs, imports, for/with/except targets, walrus, global). */
  defined: Set<string>;
  /** Names read at module level, plus free names of lambdas, comprehensions and class bodies. */
  used: NameRef[];
  /** For each top-level def/class: the free names its body uses when it runs. */
  deferred: Map<string, NameRef[]>;
  calls: CallInfo[];
  strings: StringLiteral[];
  assignments: Assignment[];
  /** `from m import *`: names the analysis cannot see. */
  starImport: boolean;
  /** Parse errors (the parser recovers; the rest of the cell is still analysed). */
  syntaxErrors: number;
  /** 1-based line of the first parse error, if any. */
  firstErrorLine: number | null;
}

const MAX_TEXT = 200;
const MAX_STRING = 4096;

type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

interface Scope {
  kind: ScopeKind;
  parent: Scope | null;
  binds: Set<string>;
  params: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  uses: NameRef[];
  /** For function/class scopes directly under the module (or methods of such a class): the top-level name. */
  owner: string | null;
}

const newScope = (kind: ScopeKind, parent: Scope | null, owner: string | null): Scope => ({
  kind,
  parent,
  binds: new Set(),
  params: new Set(),
  globals: new Set(),
  nonlocals: new Set(),
  uses: [],
  owner,
});

const COMPREHENSIONS = new Set(['ComprehensionExpression', 'ArrayComprehensionExpression', 'DictionaryComprehensionExpression', 'SetComprehensionExpression']);
const PATH_CLASSES = new Set(['Path', 'PurePath', 'PosixPath', 'WindowsPath', 'PurePosixPath', 'PureWindowsPath']);

/** Decode a Python string literal's text (prefix, quotes, escapes) to its value. */
export function decodeStringLiteral(text: string): string | null {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!m) return null;
  const prefix = m[1]!.toLowerCase();
  const q = m[2]!;
  if (text.length < m[0].length + q.length || !text.endsWith(q)) return null;
  let body = text.slice(m[0].length, text.length - q.length);
  if (prefix.includes('f')) body = body.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  if (prefix.includes('r')) return body;
  return decodeEscapes(body);
}

function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(\r?\n|[\\'"abfnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|.)/g, (all, e: string) => {
    switch (e[0]) {
      case '\n':
      case '\r':
        return '';
      case '\\':
        return '\\';
      case "'":
        return "'";
      case '"':
        return '"';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return e === 'n' ? '\n' : all;
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'x':
      case 'u':
      case 'U':
        if (e.length > 1) return String.fromCodePoint(Math.min(parseInt(e.slice(1), 16), 0x10ffff));
        return all;
      case 'N':
        return all;
      default:
        if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
        return all; // unknown escapes stay as written, as in Python
    }
  });
}

class CellWalker {
  readonly src: string;
  private readonly lineStarts: number[];
  readonly result: PythonCellAnalysis;
  private readonly callCache = new Map<string, CallInfo>();
  private functionDepth = 0;

  constructor(src: string) {
    this.src = src;
    this.lineStarts = [0];
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.result = {
      imports: [],
      bindings: [],
      defined: new Set(),
      used: [],
      deferred: new Map(),
      calls: [],
      strings: [],
      assignments: [],
      starImport: false,
      syntaxErrors: 0,
      firstErrorLine: null,
    };
  }

  line(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  // ── scopes ──

  private bind(name: string, scope: Scope) {
    // A walrus in a comprehension binds in the enclosing scope.
    let s: Scope = scope;
    while (s.kind === 'comprehension' && s.parent) s = s.parent;
    s.binds.add(name);
  }

  private use(n: SyntaxNode, scope: Scope) {
    scope.uses.push({ name: this.text(n), line: this.line(n.from) });
  }

  /** Close a scope: its free names go to where they are looked up. */
  private finish(scope: Scope) {
    const local = (name: string) => scope.params.has(name) || (scope.binds.has(name) && !scope.globals.has(name) && !scope.nonlocals.has(name));
    const free = scope.uses.filter((u) => !local(u.name));
    // `global x` then `x = …` inside a function defines a module-level name.
    for (const g of scope.globals) if (scope.binds.has(g)) this.result.defined.add(g);
    if (scope.kind === 'module') return;
    if (scope.kind === 'function') {
      // Functions skip class scopes: a method does not see the class body's names.
      let target = scope.parent!;
      while (target.kind === 'class' && target.parent) target = target.parent;
      if (target.kind === 'module') {
        const owner = scope.owner ?? '';
        const list = this.result.deferred.get(owner) ?? [];
        list.push(...free);
        this.result.deferred.set(owner, list);
      } else target.uses.push(...free);
      return;
    }
    scope.parent!.uses.push(...free);
  }

  // ── walking ──

  walk(root: SyntaxNode) {
    const module = newScope('module', null, null);
    for (let c = root.firstChild; c; c = c.nextSibling) {
      try {
        this.visit(c, module);
      } catch (e) {
        // Extremely deep nesting can exhaust the stack: that statement is skipped, the rest is read.
        if (!(e instanceof RangeError)) throw e;
        this.result.syntaxErrors++;
        this.functionDepth = 0;
      }
    }
    this.finish(module);
    for (const b of module.binds) this.result.defined.add(b);
    this.result.used = module.uses;
  }

  private visitChildren(n: SyntaxNode, scope: Scope) {
    for (let c = n.firstChild; c; c = c.nextSibling) this.visit(c, scope);
  }

  private visit(n: SyntaxNode, scope: Scope): void {
    if (n.type.isError) {
      this.result.syntaxErrors++;
      this.result.firstErrorLine ??= this.line(n.from);
      this.visitChildren(n, scope);
      return;
    }
    switch (n.name) {
      case 'VariableName':
        this.use(n, scope);
        return;
      case 'ImportStatement':
        this.importStatement(n, scope);
        return;
      case 'AssignStatement':
        this.assignStatement(n, scope);
        return;
      case 'UpdateStatement': {
        const kids = this.children(n);
        const op = kids.findIndex((k) => k.name === 'UpdateOp');
        for (const t of kids.slice(0, op)) {
          if (t.name === 'VariableName') {
            this.use(t, scope);
            this.bind(this.text(t), scope);
            if (scope.kind === 'module') this.result.assignments.push({ name: this.text(t), value: null, line: this.line(t.from), from: t.from, end: n.to });
          } else this.visit(t, scope);
        }
        for (const v of kids.slice(op + 1)) this.visit(v, scope);
        return;
      }
      case 'ForStatement':
        this.targetsThenRest(n, scope, 'for', 'in');
        return;
      case 'WithStatement':
      case 'TryStatement':
        this.asBindings(n, scope);
        return;
      case 'NamedExpression': {
        const kids = this.children(n);
        if (kids[0]?.name === 'VariableName') this.bind(this.text(kids[0]), scope);
        for (const k of kids.slice(1)) this.visit(k, scope);
        return;
      }
      case 'ScopeStatement': {
        const kids = this.children(n);
        const isGlobal = kids[0]?.name === 'global';
        for (const k of kids) if (k.name === 'VariableName') (isGlobal ? scope.globals : scope.nonlocals).add(this.text(k));
        return;
      }
      case 'DecoratedStatement':
        for (const c of this.children(n)) {
          if (c.name === 'Decorator') this.decorator(c, scope);
          else this.visit(c, scope);
        }
        return;
      case 'Decorator':
        this.decorator(n, scope);
        return;
      case 'FunctionDefinition':
        this.functionDefinition(n, scope);
        return;
      case 'ClassDefinition':
        this.classDefinition(n, scope);
        return;
      case 'LambdaExpression':
        this.lambda(n, scope);
        return;
      case 'ArgList':
        this.argList(n, scope);
        return;
      case 'MemberExpression':
        for (const c of this.children(n)) if (c.name !== 'PropertyName') this.visit(c, scope);
        return;
      case 'CallExpression':
        this.result.calls.push(this.callInfo(n));
        this.visitChildren(n, scope);
        return;
      case 'String':
        this.stringLiteral(n);
        return;
      case 'FormatString':
        this.stringLiteral(n);
        this.visitChildren(n, scope);
        return;
      case 'TypeDefinition': {
        // type Alias = expr: the first name is bound, the rest is read.
        let first = true;
        for (const c of this.children(n)) {
          if (first && c.name === 'VariableName') {
            this.bind(this.text(c), scope);
            first = false;
          } else this.visit(c, scope);
        }
        return;
      }
      case 'CapturePattern': {
        const v = n.getChild('VariableName');
        if (v && this.text(v) !== '_') this.bind(this.text(v), scope);
        return;
      }
      case 'KeywordPattern':
        // The keyword is an attribute name, not a variable.
        for (const c of this.children(n).slice(1)) this.visit(c, scope);
        return;
      case 'AsPattern':
        this.asBindings(n, scope);
        return;
      case 'Comment':
        return;
      default:
        if (COMPREHENSIONS.has(n.name)) {
          this.comprehension(n, scope);
          return;
        }
        this.visitChildren(n, scope);
    }
  }

  private decorator(n: SyntaxNode, scope: Scope) {
    // @a.b.c(args): `a` is a use; b and c are attributes.
    let first = true;
    for (const c of this.children(n)) {
      if (c.name === 'VariableName') {
        if (first) this.use(c, scope);
        first = false;
      } else if (c.name === 'ArgList') this.visit(c, scope);
    }
  }

  /** A target of an assignment, for, with … as, etc. */
  private target(n: SyntaxNode, scope: Scope) {
    switch (n.name) {
      case 'VariableName':
        this.bind(this.text(n), scope);
        return;
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        for (const c of this.children(n)) this.target(c, scope);
        return;
      case '(':
      case ')':
      case '[':
      case ']':
      case ',':
      case '*':
        return;
      default:
        this.visit(n, scope); // x[i] = …, a.b = …: x and a are read
    }
  }

  private assignStatement(n: SyntaxNode, scope: Scope) {
    const kids = this.children(n);
    const ops = kids.map((k, i) => (k.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
    if (ops.length === 0) {
      // `x: int` — an annotation without a value binds nothing; the annotation is evaluated.
      for (const k of kids) if (k.name === 'TypeDef') this.visit(k, scope);
      return;
    }
    const last = ops[ops.length - 1]!;
    const valueNodes = kids.slice(last + 1);
    for (const v of valueNodes) this.visit(v, scope);
    const single = valueNodes.filter((v) => v.name !== ',');
    const value = single.length === 1 ? this.pathExpr(single[0]!) : null;
    for (let i = 0; i < last; i++) {
      const k = kids[i]!;
      if (k.name === 'AssignOp' || k.name === ',') continue;
      if (k.name === 'TypeDef') {
        this.visit(k, scope);
        continue;
      }
      this.target(k, scope);
      if (scope.kind === 'module') {
        // Only NAME = <one expression> is a constant; tuple targets etc. forget what the name held.
        const simple = k.name === 'VariableName' && kids[i + 1]?.name !== ',' && kids[i - 1]?.name !== ',';
        for (const name of this.targetNames(k)) {
          this.result.assignments.push({ name, value: simple ? value : null, line: this.line(k.from), from: k.from, end: n.to });
        }
      }
    }
  }

  private targetNames(n: SyntaxNode): string[] {
    if (n.name === 'VariableName') return [this.text(n)];
    if (n.name === 'TupleExpression' || n.name === 'ArrayExpression' || n.name === 'ParenthesizedExpression') return this.children(n).flatMap((c) => this.targetNames(c));
    return [];
  }

  /** for TARGETS in ITER: body — targets between the two keywords. */
  private targetsThenRest(n: SyntaxNode, scope: Scope, startKw: string, endKw: string) {
    let mode: 'expr' | 'target' = 'expr';
    for (const c of this.children(n)) {
      if (c.name === startKw) mode = 'target';
      else if (c.name === endKw) mode = 'expr';
      else if (mode === 'target') {
        this.target(c, scope);
        if (scope.kind === 'module') for (const name of this.targetNames(c)) this.result.assignments.push({ name, value: null, line: this.line(c.from), from: c.from, end: c.to });
      } else this.visit(c, scope);
    }
  }

  /** with X as y / except E as e / pattern as p: the name after `as` is bound. */
  private asBindings(n: SyntaxNode, scope: Scope) {
    let afterAs = false;
    for (const c of this.children(n)) {
      if (c.name === 'as') {
        afterAs = true;
        continue;
      }
      if (afterAs) {
        this.target(c, scope);
        afterAs = false;
        continue;
      }
      this.visit(c, scope);
    }
  }

  private importStatement(n: SyntaxNode, scope: Scope) {
    const kids = this.children(n);
    const line = this.line(n.from);
    if (kids[0]?.name === 'import') {
      // import a.b [as c], d
      let parts: string[] = [];
      let alias: string | null = null;
      let expectAlias = false;
      const flush = () => {
        if (parts.length) {
          const module = parts.join('.');
          this.result.imports.push({ module, names: [], relative: false, line });
          const local = alias ?? parts[0]!;
          this.bind(local, scope);
          this.result.bindings.push({ local, target: alias ? module : parts[0]!, line, from: n.from });
        }
        parts = [];
        alias = null;
        expectAlias = false;
      };
      for (const c of kids.slice(1)) {
        if (c.name === 'VariableName') {
          if (expectAlias) alias = this.text(c);
          else parts.push(this.text(c));
        } else if (c.name === 'as') expectAlias = true;
        else if (c.name === ',') flush();
      }
      flush();
      return;
    }
    // from [.]a.b import x [as y], z | *
    let i = 1;
    let relative = false;
    const modParts: string[] = [];
    for (; i < kids.length && kids[i]!.name !== 'import'; i++) {
      const c = kids[i]!;
      if (c.name === 'VariableName') modParts.push(this.text(c));
      else if ((c.name === '.' || c.name === 'Ellipsis') && modParts.length === 0) relative = true;
    }
    const module = modParts.join('.');
    const names: string[] = [];
    let current: string | null = null;
    let expectAlias = false;
    const flush = (alias: string | null) => {
      if (current === null) return;
      names.push(current);
      const local = alias ?? current;
      this.bind(local, scope);
      if (!relative) this.result.bindings.push({ local, target: `${module}.${current}`, line, from: n.from });
      current = null;
    };
    for (i++; i < kids.length; i++) {
      const c = kids[i]!;
      if (c.name === '*') {
        names.push('*');
        this.result.starImport = true;
      } else if (c.name === 'VariableName') {
        if (expectAlias) {
          flush(this.text(c));
          expectAlias = false;
        } else {
          flush(null);
          current = this.text(c);
        }
      } else if (c.name === 'as') expectAlias = true;
    }
    flush(null);
    this.result.imports.push({ module, names, relative, line });
  }

  private params(list: SyntaxNode, inner: Scope, outer: Scope) {
    // In a ParamList: a VariableName after AssignOp is a default (evaluated outside); TypeDefs too.
    let afterAssign = false;
    for (const c of this.children(list)) {
      if (c.name === 'AssignOp') {
        afterAssign = true;
        continue;
      }
      if (c.name === ',') {
        afterAssign = false;
        continue;
      }
      if (afterAssign) this.visit(c, outer);
      else if (c.name === 'VariableName') inner.params.add(this.text(c));
      else if (c.name === 'TypeDef') this.visit(c, outer);
    }
  }

  /** Which top-level def or class a nested scope belongs to. */
  private ownerFor(name: string, scope: Scope): string | null {
    return scope.kind === 'module' ? name : scope.owner;
  }

  private functionDefinition(n: SyntaxNode, scope: Scope) {
    const nameNode = n.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '';
    if (nameNode) this.bind(name, scope);
    const fn = newScope('function', scope, this.ownerFor(name, scope));
    this.functionDepth++;
    for (const c of this.children(n)) {
      if (c.name === 'ParamList') this.params(c, fn, scope);
      else if (c.name === 'TypeDef' || c.name === 'TypeParamList') this.visit(c, scope);
      else if (c.name === 'Body') this.visitChildren(c, fn);
    }
    this.functionDepth--;
    this.finish(fn);
  }

  private classDefinition(n: SyntaxNode, scope: Scope) {
    const nameNode = n.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '';
    if (nameNode) this.bind(name, scope);
    const cls = newScope('class', scope, this.ownerFor(name, scope));
    for (const c of this.children(n)) {
      if (c.name === 'ArgList' || c.name === 'TypeParamList') this.visit(c, scope);
      else if (c.name === 'Body') this.visitChildren(c, cls);
    }
    this.finish(cls);
  }

  private lambda(n: SyntaxNode, scope: Scope) {
    const lam = newScope('lambda', scope, scope.owner);
    this.functionDepth++;
    for (const c of this.children(n)) {
      if (c.name === 'ParamList') this.params(c, lam, scope);
      else if (c.name !== 'lambda' && c.name !== ':') this.visit(c, lam);
    }
    this.functionDepth--;
    this.finish(lam);
  }

  private comprehension(n: SyntaxNode, scope: Scope) {
    const comp = newScope('comprehension', scope, scope.owner);
    let mode: 'expr' | 'target' = 'expr';
    for (const c of this.children(n)) {
      if (c.name === 'for') mode = 'target';
      else if (c.name === 'in') mode = 'expr';
      else if (mode === 'target') {
        if (c.name === 'VariableName') comp.binds.add(this.text(c));
        else if (c.name !== ',') for (const t of this.targetNames(c)) comp.binds.add(t);
      } else this.visit(c, comp);
    }
    this.finish(comp);
  }

  private argList(n: SyntaxNode, scope: Scope) {
    const kids = this.children(n);
    // f(x for x in xs): the parts of a generator argument are the ArgList's own children.
    if (kids.some((k) => k.name === 'for')) {
      this.generatorArg(kids.filter((k) => k.name !== '(' && k.name !== ')'), scope);
      return;
    }
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      const next = kids[i + 1];
      if (c.name === 'VariableName' && next?.name === 'AssignOp') {
        if (this.text(next) === ':=') this.bind(this.text(c), scope);
        i++; // keyword name (or walrus target): not a read
        continue;
      }
      this.visit(c, scope);
    }
  }

  private generatorArg(nodes: SyntaxNode[], scope: Scope) {
    const comp = newScope('comprehension', scope, scope.owner);
    let mode: 'expr' | 'target' = 'expr';
    for (const c of nodes) {
      if (c.name === 'for') mode = 'target';
      else if (c.name === 'in') mode = 'expr';
      else if (mode === 'target') {
        for (const t of this.targetNames(c)) comp.binds.add(t);
      } else this.visit(c, comp);
    }
    this.finish(comp);
  }

  private stringLiteral(n: SyntaxNode) {
    if (n.to - n.from > MAX_STRING + 8) return;
    const lit = this.literal(n);
    if (lit?.kind === 'string') this.result.strings.push({ value: lit.value, line: this.line(n.from) });
  }

  // ── expressions ──

  /** A literal: strings (f-strings without placeholders too), numbers, True/False/None, tuples and lists of them. */
  literal(n: SyntaxNode): PyLiteral | null {
    switch (n.name) {
      case 'String':
      case 'FormatString': {
        if (n.name === 'FormatString' && n.getChild('FormatReplacement')) return null;
        const text = this.text(n);
        const value = decodeStringLiteral(text);
        return value === null ? null : { kind: 'string', value, text };
      }
      case 'ContinuedString': {
        const parts = this.children(n).map((c) => this.literal(c));
        if (parts.some((p) => p?.kind !== 'string')) return null;
        return { kind: 'string', value: parts.map((p) => (p as { value: string }).value).join(''), text: this.text(n) };
      }
      case 'Number':
        return { kind: 'number', text: this.text(n) };
      case 'Boolean':
        return { kind: 'bool', text: this.text(n) };
      case 'None':
        return { kind: 'none', text: 'None' };
      case 'UnaryExpression': {
        const kids = this.children(n);
        if (kids.length === 2 && kids[0]!.name === 'ArithOp' && kids[1]!.name === 'Number') return { kind: 'number', text: this.text(kids[0]!) + this.text(kids[1]!) };
        return null;
      }
      case 'ParenthesizedExpression': {
        const inner = this.children(n).filter((c) => c.name !== '(' && c.name !== ')');
        return inner.length === 1 ? this.literal(inner[0]!) : null;
      }
      case 'TupleExpression':
      case 'ArrayExpression': {
        const inner = this.children(n).filter((c) => !['(', ')', '[', ']', ','].includes(c.name));
        const lits = inner.map((c) => this.literal(c));
        if (lits.some((l) => l === null)) return null;
        const body = lits.map((l) => l!.text).join(', ');
        const text = n.name === 'ArrayExpression' ? `[${body}]` : lits.length === 1 ? `(${body},)` : `(${body})`;
        return { kind: 'sequence', text };
      }
      default:
        return null;
    }
  }

  /** The dotted callee of a call, e.g. np.random.seed; "…" stands for what is not a name. */
  private calleeText(n: SyntaxNode): string {
    switch (n.name) {
      case 'VariableName':
        return this.text(n);
      case 'MemberExpression': {
        const obj = n.firstChild!;
        const prop = n.getChild('PropertyName');
        return prop ? `${this.calleeText(obj)}.${this.text(prop)}` : `${this.calleeText(obj)}[…]`;
      }
      case 'CallExpression':
        return `${this.calleeText(n.firstChild!)}()`;
      case 'ParenthesizedExpression': {
        const inner = this.children(n).filter((c) => c.name !== '(' && c.name !== ')');
        return inner.length === 1 ? this.calleeText(inner[0]!) : '…';
      }
      default:
        return '…';
    }
  }

  private segmentsOf(n: SyntaxNode): string[] | null {
    if (n.name === 'VariableName') return [this.text(n)];
    if (n.name === 'MemberExpression') {
      const prop = n.getChild('PropertyName');
      if (!prop) return null;
      const base = this.segmentsOf(n.firstChild!);
      return base ? [...base, this.text(prop)] : null;
    }
    return null;
  }

  /** A path expression: literal strings, names, Path(…), os.path.join(…), a / b, a + b, f"{DIR}/x.csv". */
  pathExpr(n: SyntaxNode, depth = 0): PathExpr | null {
    if (depth > 20) return null;
    switch (n.name) {
      case 'String':
      case 'ContinuedString': {
        const lit = this.literal(n);
        return lit?.kind === 'string' ? { kind: 'str', value: lit.value } : null;
      }
      case 'FormatString': {
        const reps = n.getChildren('FormatReplacement');
        if (reps.length === 0) {
          const lit = this.literal(n);
          return lit?.kind === 'string' ? { kind: 'str', value: lit.value } : null;
        }
        const text = this.text(n);
        const pm = /^([rRfF]{1,2})('''|"""|'|")/.exec(text);
        if (!pm) return null;
        const raw = pm[1]!.toLowerCase().includes('r');
        const parts: PathExpr[] = [];
        let pos = n.from + pm[0].length;
        const end = n.to - pm[2]!.length;
        const seg = (a: number, b: number) => {
          if (b <= a) return;
          const s = this.src.slice(a, b).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
          parts.push({ kind: 'str', value: raw ? s : decodeEscapes(s) });
        };
        for (const r of reps) {
          seg(pos, r.from);
          const inner = this.children(r).filter((c) => c.name !== '{' && c.name !== '}');
          if (inner.length !== 1) return null;
          const e = this.pathExpr(inner[0]!, depth + 1);
          if (!e) return null;
          parts.push(e);
          pos = r.to;
        }
        seg(pos, end);
        return { kind: 'concat', parts };
      }
      case 'VariableName':
        return { kind: 'name', name: this.text(n) };
      case 'ParenthesizedExpression': {
        const inner = this.children(n).filter((c) => c.name !== '(' && c.name !== ')');
        return inner.length === 1 ? this.pathExpr(inner[0]!, depth + 1) : null;
      }
      case 'BinaryExpression': {
        const kids = this.children(n);
        if (kids.length !== 3 || kids[1]!.name !== 'ArithOp') return null;
        const op = this.text(kids[1]!);
        if (op !== '/' && op !== '+') return null;
        const a = this.pathExpr(kids[0]!, depth + 1);
        const b = this.pathExpr(kids[2]!, depth + 1);
        if (!a || !b) return null;
        return { kind: op === '/' ? 'join' : 'concat', parts: [a, b] };
      }
      case 'CallExpression': {
        const callee = n.firstChild!;
        const args = n.getChild('ArgList');
        const segs = this.segmentsOf(callee);
        const positional = args ? this.children(args).filter((c) => !['(', ')', ','].includes(c.name)) : [];
        const hasKeywords = positional.some((c) => c.name === 'AssignOp' || c.name === '*' || c.name === '**');
        const last = segs?.[segs.length - 1] ?? (callee.name === 'MemberExpression' ? this.text(callee.getChild('PropertyName') ?? callee) : '');
        if (segs && !hasKeywords) {
          const dotted = segs.join('.');
          if (PATH_CLASSES.has(last) || dotted === 'os.path.join' || dotted === 'posixpath.join' || dotted === 'ntpath.join') {
            if (positional.length === 0) return PATH_CLASSES.has(last) ? { kind: 'str', value: '.' } : null;
            const parts = positional.map((p) => this.pathExpr(p, depth + 1));
            if (parts.some((p) => p === null)) return null;
            return parts.length === 1 ? parts[0]! : { kind: 'join', parts: parts as PathExpr[] };
          }
          if ((dotted === 'str' || dotted === 'os.fspath' || dotted === 'os.path.expanduser' || dotted === 'os.path.abspath' || dotted === 'os.path.normpath') && positional.length === 1) {
            return this.pathExpr(positional[0]!, depth + 1);
          }
          if (last === 'home' && (dotted === 'Path.home' || dotted === 'pathlib.Path.home')) return { kind: 'str', value: '~' };
          if (dotted === 'os.getcwd' || last === 'cwd') return { kind: 'str', value: '.' };
        }
        // Path("x").resolve() / .expanduser() / .absolute(), and Path("d").joinpath("a", "b")
        if (callee.name === 'MemberExpression' && !hasKeywords) {
          const prop = callee.getChild('PropertyName');
          const method = prop ? this.text(prop) : '';
          if (['resolve', 'expanduser', 'absolute'].includes(method) && positional.length === 0) return this.pathExpr(callee.firstChild!, depth + 1);
          if (method === 'joinpath' && positional.length > 0) {
            const base = this.pathExpr(callee.firstChild!, depth + 1);
            const parts = positional.map((p) => this.pathExpr(p, depth + 1));
            if (!base || parts.some((p) => p === null)) return null;
            return { kind: 'join', parts: [base, ...(parts as PathExpr[])] };
          }
        }
        return null;
      }
      default:
        return null;
    }
  }

  callInfo(n: SyntaxNode): CallInfo {
    const key = `${n.from}:${n.to}`;
    const cached = this.callCache.get(key);
    if (cached) return cached;
    const callee = n.firstChild!;
    const segments = this.segmentsOf(callee);
    const calleeText = this.calleeText(callee);
    const prop = callee.name === 'MemberExpression' ? callee.getChild('PropertyName') : null;
    const name = segments ? segments[segments.length - 1]! : prop ? this.text(prop) : calleeText;
    let receiverPath: PathExpr | null = null;
    if (callee.name === 'MemberExpression' && prop) receiverPath = this.pathExpr(callee.firstChild!);
    const info: CallInfo = {
      callee: calleeText,
      segments,
      name,
      receiverPath,
      args: [],
      kwargs: [],
      hasStarArgs: false,
      hasStarKwargs: false,
      line: this.line(n.from),
      from: n.from,
      inFunction: this.functionDepth > 0,
    };
    this.callCache.set(key, info);
    const argList = n.getChild('ArgList');
    if (argList) {
      // Group the flat children by commas.
      const groups: SyntaxNode[][] = [[]];
      const argKids = this.children(argList);
      const generator = argKids.some((k) => k.name === 'for');
      for (const c of generator ? [] : argKids) {
        if (c.name === '(' || c.name === ')') continue;
        if (c.name === ',') groups.push([]);
        else groups[groups.length - 1]!.push(c);
      }
      if (generator) info.args.push({ text: this.cut(this.text(argList).slice(1, -1)), keyword: null, literal: null, path: null, call: null });
      for (const g of groups) {
        if (g.length === 0) continue;
        if (g[0]!.name === '*') {
          info.hasStarArgs = true;
          continue;
        }
        if (g[0]!.name === '**') {
          info.hasStarKwargs = true;
          continue;
        }
        if (g.length >= 3 && g[0]!.name === 'VariableName' && g[1]!.name === 'AssignOp' && this.text(g[1]!) === '=') {
          info.kwargs.push(this.arg(g[2]!, this.text(g[0]!)));
          continue;
        }
        if (g.length === 1) info.args.push(this.arg(g[0]!, null));
        else info.args.push({ text: this.cut(this.src.slice(g[0]!.from, g[g.length - 1]!.to)), keyword: null, literal: null, path: null, call: null });
      }
    }
    return info;
  }

  private cut(s: string): string {
    return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
  }

  private arg(n: SyntaxNode, keyword: string | null): CallArg {
    return {
      text: this.cut(this.text(n)),
      keyword,
      literal: this.literal(n),
      path: this.pathExpr(n),
      call: n.name === 'CallExpression' ? this.callInfo(n) : null,
    };
  }
}

/**
 * Analyse one Python cell (after prepareSource). Never throws on bad Python: the parser recovers
 * and the count of errors is reported.
 */
export function analyzePython(code: string): PythonCellAnalysis {
  const walker = new CellWalker(code);
  walker.walk(parser.parse(code).topNode);
  return walker.result;
}
