// Python code as lines of classed text runs, from @lezer/python's tree and @lezer/highlight's
// class highlighter (tok-keyword, tok-string…). The caller renders them as React spans: the code
// is text, never HTML.
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser } from '@lezer/python';

export interface Token {
  text: string;
  /** Space-separated tok-* classes; '' for plain text. */
  className: string;
}

/** Cells longer than this are shown as plain text: parsing is cheap, but not free. */
const MAX_HIGHLIGHT_CHARS = 200_000;

/** The lines of `code`, each a list of tokens; plain tokens when `language` is not Python. */
export function highlightPython(code: string, language: string | null = 'python'): Token[][] {
  const lines: Token[][] = [[]];
  const isPython = language === null || /^python/i.test(language) || language === '';
  if (!isPython || code.length > MAX_HIGHLIGHT_CHARS) {
    return code.split('\n').map((line) => (line ? [{ text: line, className: '' }] : []));
  }
  // IPython magics and shell escapes (%pip install, !ls) are not Python: blank them for the
  // parser (keeping offsets), then show each as one token.
  const source = code.split('\n');
  const magic = source.map((line) => /^\s*[%!]/.test(line));
  const parsed = magic.some(Boolean) ? source.map((line, i) => (magic[i] ? ' '.repeat(line.length) : line)).join('\n') : code;
  highlightCode(
    parsed,
    parser.parse(parsed),
    classHighlighter,
    (text, className) => lines[lines.length - 1]!.push({ text, className }),
    () => lines.push([]),
  );
  return lines.map((tokens, i) => (magic[i] ? [{ text: source[i]!, className: 'tok-meta' }] : tokens.length > 0 || !source[i] ? tokens : [{ text: source[i]!, className: '' }]));
}
