// The build points every `string-width` import (ink's, wrap-ansi's, ours) at one version, ours, so
// our wrapping and ink's layout agree on every width, and wraps it in fastWidth(). ink measures each line
// and each character it draws; string-width's exact path (grapheme segmentation, emoji regexes with
// the /v flag) costs tens of ms to warm up, which a learner waits for on the first frame. What
// goingnats draws is almost all ASCII, Latin, punctuation, arrows, box drawing and braille: one
// column per UTF-16 unit. Those take the quick path; anything else the exact one.
import { stripVTControlCharacters } from "node:util";

// test/fast-string-width.test.ts checks every code point here against string-width itself. Left
// out on purpose: U+00AD soft hyphen, U+200B–U+200F and U+2028+ (zero width), U+0300+ (combining),
// U+25FB–U+25FE (drawn as wide emoji). Included: the marks the app draws (✓ ✗ ⊘ ◐ ▸ ▶ ·).
export const ONE_COLUMN =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2200-\u22FF\u2500-\u25FA\u2713\u2717\u2800-\u28FF]*$/;

export interface WidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

export type Width = (text: string, options?: WidthOptions) => number;

export function fastWidth(exactWidth: Width): Width {
  return (text, options) => {
    if (typeof text !== "string" || text.length === 0) return 0;
    // Ambiguous characters (box drawing among them) are two columns wide when asked: the exact path.
    if (options?.ambiguousIsNarrow === false) return exactWidth(text, options);
    const plain = options?.countAnsiEscapeCodes || !(text.includes("\x1b") || text.includes("\x9b")) ? text : stripVTControlCharacters(text);
    if (ONE_COLUMN.test(plain)) return plain.length;
    return exactWidth(text, options);
  };
}
