// The build wraps every `string-width` import (ink's, wrap-ansi's, ours) in fastWidth(), each around
// the version its importer asked for. ink measures each line
// and each character it draws; string-width's exact path (grapheme segmentation, emoji regexes with
// the /v flag) costs tens of ms to warm up, which a learner waits for on the first frame. What
// goingnats draws is almost all ASCII, Latin, punctuation, arrows, box drawing and braille: one
// column per UTF-16 unit. Those take the quick path; anything else the exact one.
import { stripVTControlCharacters } from "node:util";

// test/fast-string-width.test.ts checks every code point here against string-width itself.
// Left out on purpose: U+00AD soft hyphen, U+200B–U+200F and U+2028+ (zero width), U+0300+
// (combining), and symbols that are also emoji (© ® ‼ ⁉ ↔–↙ ↩ ↪ ▪ ▫ ▶ ◀), whose width string-width's
// versions disagree on.
export const ONE_COLUMN =
  /^[\u0020-\u007E\u00A0-\u00A8\u00AA-\u00AC\u00AF-\u02FF\u2010-\u2027\u2030-\u203B\u203D-\u2048\u204A-\u205E\u2190-\u2193\u219A-\u21A8\u21AB-\u21FF\u2500-\u25A9\u25AC-\u25B5\u25B7-\u25BF\u25C1-\u25FA\u2800-\u28FF]*$/;

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
