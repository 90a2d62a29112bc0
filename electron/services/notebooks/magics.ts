// IPython syntax that is not Python: line magics (%pip install …), shell escapes (!ls), help
// (obj?) and cell magics (%%bash …). Before a code cell goes to the Python parser these lines are
// replaced — line by line, so line numbers stay the same — and the pip/conda installs among them
// are read as requirements.

/** Cell magics whose body is Python (the first line is the magic, the rest is analysed). */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'memit', 'mprun', 'snakeviz', 'tensorflow_version', 'autoreload']);
/** Cell magics whose body is a shell script: `pip install` lines in them count. */
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'script', 'system', 'sx']);
/** Line magics that run the Python statement after them. */
const PYTHON_LINE_MAGICS = new Set(['time', 'timeit', 'prun', 'memit', 'debug', 'snakeviz']);
/** Line magics that bring in names the analysis cannot see. */
const DEFINING_MAGICS = new Set(['run', 'store', 'load', 'pylab', 'load_ext', 'reload_ext', 'sql']);

export interface MagicLine {
  /** 1-based line where it starts. */
  line: number;
  kind: 'line-magic' | 'shell' | 'cell-magic' | 'shell-body';
  /** The logical line (continuation lines joined), without the leading % or !. */
  command: string;
}

export interface PreparedSource {
  /** The source with every non-Python line replaced; same number of lines. */
  code: string;
  /** False when the whole cell is not Python (a %%bash, %%html, %%writefile … cell). */
  analysable: boolean;
  /** The cell magic's name (`bash` for %%bash), if the cell starts with one. */
  cellMagic: string | null;
  magics: MagicLine[];
  /** True when a magic such as %run or %store -r may define names the analysis cannot see. */
  definesUnknownNames: boolean;
}

interface ScanState {
  /** The quote that closes the open string: ', ", ''' or """; '' when not in a string. */
  quote: string;
  depth: number;
  /** The previous line ended in a backslash outside a string. */
  continued: boolean;
}

/** Update the lexical state over one line: open strings, bracket depth, backslash continuation. */
function scanLine(line: string, s: ScanState): void {
  let i = 0;
  s.continued = false;
  const n = line.length;
  while (i < n) {
    const ch = line[i]!;
    if (s.quote) {
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (line.startsWith(s.quote, i)) {
        i += s.quote.length;
        s.quote = '';
        continue;
      }
      i++;
      continue;
    }
    if (ch === '#') return;
    if (ch === '"' || ch === "'") {
      const triple = ch.repeat(3);
      if (line.startsWith(triple, i)) {
        s.quote = triple;
        i += 3;
      } else {
        s.quote = ch;
        i++;
      }
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') s.depth++;
    else if (ch === ')' || ch === ']' || ch === '}') s.depth = Math.max(0, s.depth - 1);
    else if (ch === '\\' && i === n - 1) {
      s.continued = true;
      return;
    }
    i++;
  }
  // A one-quote string cannot span lines (unless escaped, handled above by skipping the newline).
  if (s.quote.length === 1 && !line.endsWith('\\')) s.quote = '';
}

const endsWithBackslash = (line: string) => /\\\s*$/.test(line);

/** Split into lines, keeping track of where each line ends (\n, \r\n). */
function splitLines(source: string): string[] {
  return source.split(/\r?\n/);
}

const blank = (indent: string) => `${indent}pass`;

/**
 * Replace IPython-only lines with Python that parses: a magic or shell line becomes `pass`
 * (indented as it was, so a block stays valid), `x = !ls` becomes `x = None`, `%time stmt`
 * becomes `stmt`; a cell whose cell magic is not Python is blanked entirely. Line count is kept.
 */
export function prepareSource(source: string): PreparedSource {
  const lines = splitLines(source);
  const magics: MagicLine[] = [];
  let definesUnknownNames = false;
  let first = lines.findIndex((l) => l.trim() !== '');
  if (first === -1) first = 0;
  let cellMagic: string | null = null;
  const firstLine = lines[first] ?? '';
  const cm = /^%%([A-Za-z_][\w.-]*)/.exec(firstLine);
  if (cm) {
    cellMagic = cm[1]!;
    magics.push({ line: first + 1, kind: 'cell-magic', command: firstLine.slice(2).trim() });
    const interpreter = cellMagic === 'script' ? (firstLine.slice(2).trim().split(/\s+/)[1] ?? '') : '';
    const shellBody = SHELL_CELL_MAGICS.has(cellMagic) && (cellMagic !== 'script' || /(?:^|\/)(?:ba|z|da|k)?sh$/.test(interpreter));
    if (!PYTHON_CELL_MAGICS.has(cellMagic)) {
      if (shellBody) {
        // Shell bodies: collect logical lines (backslash continuation) so pip installs can be read.
        for (let i = first + 1; i < lines.length; i++) {
          const start = i;
          let text = lines[i]!;
          while (endsWithBackslash(text) && i + 1 < lines.length) {
            text = `${text.replace(/\s*\\\s*$/, '')} ${lines[++i]!.trim()}`;
          }
          if (text.trim()) magics.push({ line: start + 1, kind: 'shell-body', command: text.trim() });
        }
      }
      return { code: lines.map(() => '').join('\n'), analysable: false, cellMagic, magics, definesUnknownNames };
    }
    lines[first] = '';
  }

  const out: string[] = [];
  const state: ScanState = { quote: '', depth: 0, continued: false };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i === first && cellMagic) {
      out.push('');
      continue;
    }
    const atStatementStart = !state.quote && state.depth === 0 && !state.continued;
    if (atStatementStart) {
      const m = /^([ \t]*)([%!])(.*)$/.exec(line);
      const assign = m ? null : /^([ \t]*[A-Za-z_][\w]*(?:[ \t]*,[ \t]*[A-Za-z_][\w]*)*[ \t]*=[ \t]*)([%!])(?!=)(.*)$/.exec(line);
      const help = m || assign ? null : /^[ \t]*(?:\?{1,2}[ \t]*[\w.]+|[\w.]+(?:\(\))?[ \t]*\?{1,2})[ \t]*$/.exec(line);
      if (m || assign || help) {
        // Join backslash-continued lines into one logical line.
        let text = (m ? m[3]! : assign ? assign[3]! : line.trim());
        const start = i;
        let end = i;
        while (endsWithBackslash(lines[end]!) && end + 1 < lines.length) {
          end++;
          text = `${text.replace(/\s*\\\s*$/, '')} ${lines[end]!.trim()}`;
        }
        const sigil = m ? m[2]! : assign ? assign[2]! : '?';
        const command = text.trim();
        if (sigil !== '?') magics.push({ line: start + 1, kind: sigil === '%' ? 'line-magic' : 'shell', command });
        if (sigil === '%') {
          const name = /^%?([A-Za-z_]\w*)/.exec(command)?.[1] ?? '';
          if (DEFINING_MAGICS.has(name) && !(name === 'store' && !/(^|\s)-r\b/.test(command))) definesUnknownNames = true;
        }
        let replacement: string;
        if (assign) {
          replacement = `${assign[1]}None`;
        } else if (m && m[2] === '%' && !m[3]!.startsWith('%')) {
          // %time stmt → stmt (only when the statement fits on this line and takes no options).
          const pm = /^([A-Za-z_]\w*)[ \t]+(.*)$/.exec(m[3]!);
          replacement = pm && PYTHON_LINE_MAGICS.has(pm[1]!) && !pm[2]!.startsWith('-') && end === start ? `${m[1]}${pm[2]}` : blank(m[1]!);
        } else {
          replacement = blank(m ? m[1]! : (/^[ \t]*/.exec(line)?.[0] ?? ''));
        }
        out.push(replacement);
        for (let k = start + 1; k <= end; k++) out.push('');
        // The replacement is plain Python on one line: scan it so brackets in `%time f(` don't linger.
        scanLine(replacement, state);
        i = end;
        continue;
      }
    }
    out.push(line);
    scanLine(line, state);
  }
  return { code: out.join('\n'), analysable: true, cellMagic, magics, definesUnknownNames };
}

// ── pip / conda installs ────────────────────────────────────────────────────────────────────

export interface Requirement {
  /** As written, e.g. "pandas==2.0", "scikit-learn", or "-r requirements.txt". */
  requirement: string;
  pinned: boolean;
  /** 1-based line in the cell. */
  line: number;
  installer: 'pip' | 'conda';
  /** A requirements file (-r) or a shell variable: what it installs is not known here. */
  unknown: boolean;
}

/** Shell-like split: quotes group, backslash escapes, `;`, `&&`, `||` and `|` separate commands. */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t') endWord();
    else if (ch === ';' || ch === '|' || (ch === '&' && text[i + 1] === '&')) {
      if (text[i + 1] === ch) i++;
      endCommand();
    } else if (ch === '#' && !inWord) break;
    else {
      word += ch;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/** pip install options that take a value (the value is not a requirement). */
const PIP_VALUE_OPTIONS = new Set([
  '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix',
  '--root', '--platform', '--python-version', '--implementation', '--abi', '--only-binary', '--no-binary',
  '--progress-bar', '--src', '--upgrade-strategy', '-C', '--config-settings', '--global-option', '--install-option',
  '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--cache-dir',
  '--python', '--trusted-host', '--report', '--keyring-provider', '--use-feature', '--use-deprecated', '--extra-index',
]);
const CONDA_VALUE_OPTIONS = new Set(['-c', '--channel', '-n', '--name', '-p', '--prefix', '--override-channels-file', '--repodata-fn', '--solver']);

const VARIABLE = /\$\w|\$\{|\{[^}]*\}/;

/** Is a pip requirement pinned to one exact version (==, ===, or a URL at a commit / archive)? */
export function isPinnedPip(req: string): boolean {
  const spec = req.split(';')[0]!.trim();
  if (VARIABLE.test(spec)) return false;
  const at = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*(\S+)$/.exec(spec);
  const url = at ? at[1]! : /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) ? spec : null;
  if (url) {
    if (/#.*sha256=[0-9a-f]{64}/i.test(url)) return true;
    if (/^git\+/i.test(url) || /\.git(@|$)/.test(url)) return /@[0-9a-f]{7,40}(?:#|$)/i.test(url);
    return /\.(whl|tar\.gz|zip|tar\.bz2)(#|$)/i.test(url) && /-\d+(\.\d+)*/.test(url);
  }
  const m = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*(===?)\s*([^\s,*]+)$/.exec(spec);
  return m !== null;
}

/** conda: `name=1.2`, `name==1.2.3` or `name=1.2.3=build` count as pinned; ranges and bare names do not. */
export function isPinnedConda(req: string): boolean {
  if (VARIABLE.test(req)) return false;
  const name = req.replace(/^[\w.-]+::/, '');
  return /^[A-Za-z0-9][A-Za-z0-9._-]*={1,2}[0-9][^\s,*<>|]*$/.test(name) && !/[*]/.test(name);
}

/** Where does `pip install` / `conda install` start in these words; null when they are not an install. */
function installArgs(words: string[]): { installer: 'pip' | 'conda'; args: string[] } | null {
  let i = 0;
  while (i < words.length && (/^\w+=/.test(words[i]!) || words[i] === 'sudo' || words[i] === 'env' || words[i] === 'time')) i++;
  const cmd = words[i] ?? '';
  const base = cmd.replace(/^.*\//, '');
  let installer: 'pip' | 'conda' | null = null;
  let j = i + 1;
  if (/^pip(\d+(\.\d+)?)?$/.test(base)) installer = 'pip';
  else if (/^(conda|mamba|micromamba)$/.test(base)) installer = 'conda';
  else if (base === 'uv' && words[j] === 'pip') {
    installer = 'pip';
    j++;
  } else if (/^(python(\d+(\.\d+)?)?|\{sys\.executable\}|\$\{?PYTHON\}?|py)$/.test(base) || /python[\d.]*$/.test(base)) {
    // python -m pip install …, possibly with interpreter flags before -m.
    while (j < words.length && words[j] !== '-m' && words[j]!.startsWith('-')) j++;
    if (words[j] === '-m' && words[j + 1] === 'pip') {
      installer = 'pip';
      j += 2;
    }
  }
  if (!installer) return null;
  // Global options may come before the sub-command (pip -q install x).
  while (j < words.length && words[j]!.startsWith('-')) j++;
  if (words[j] !== 'install') return null;
  return { installer, args: words.slice(j + 1) };
}

function requirementsOf(words: string[], line: number): Requirement[] {
  const inst = installArgs(words);
  if (!inst) return [];
  const out: Requirement[] = [];
  const valueOptions = inst.installer === 'pip' ? PIP_VALUE_OPTIONS : CONDA_VALUE_OPTIONS;
  const { args, installer } = inst;
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    let file: string | null = null;
    if (a === '-r' || a === '--requirement' || a === '--file') file = args[++k] ?? '';
    else if (a.startsWith('--requirement=') || a.startsWith('--file=')) file = a.slice(a.indexOf('=') + 1);
    else if (a.startsWith('-r')) file = a.slice(2).replace(/^=/, '');
    if (file !== null) {
      out.push({ requirement: `-r ${file}`.trim(), pinned: false, line, installer, unknown: true });
      continue;
    }
    const editable = /^(-e|--editable)(?:=(.+))?$/.exec(a);
    if (editable) {
      const target = editable[2] ?? args[++k] ?? '';
      if (target) out.push({ requirement: target, pinned: isPinnedPip(target), line, installer, unknown: false });
      continue;
    }
    if (a.startsWith('-')) {
      if (!a.includes('=') && valueOptions.has(a)) k++;
      continue;
    }
    if (a === '') continue;
    const unknown = VARIABLE.test(a);
    out.push({ requirement: a, pinned: installer === 'pip' ? isPinnedPip(a) : isPinnedConda(a), line, installer, unknown });
  }
  return out;
}

/**
 * The requirements a cell installs: `%pip install`, `!pip install`, `!python -m pip install`,
 * `%conda install` (and mamba), and `pip install` lines in %%bash / %%sh cells.
 */
export function findInstalls(prepared: PreparedSource): Requirement[] {
  const out: Requirement[] = [];
  for (const m of prepared.magics) {
    if (m.kind === 'cell-magic') continue;
    let text = m.command;
    if (m.kind === 'line-magic') {
      // %pip, %conda and %mamba are magics of their own; other line magics are not installs.
      if (!/^(pip|conda|mamba|micromamba|uv)\b/.test(text)) continue;
    }
    text = text.replace(/^!/, '');
    for (const words of shellCommands(text)) out.push(...requirementsOf(words, m.line));
  }
  return out;
}
