// Named colours for rendered text. Everything goes through `style` (NO_COLOR, --no-color, not a TTY);
// `palette(false)` gives the same names with no escape codes, for tests and plain output.
import { style } from "./style.js";

export interface Palette {
  color: boolean;
  heading: (s: string) => string;
  subheading: (s: string) => string;
  strong: (s: string) => string;
  em: (s: string) => string;
  del: (s: string) => string;
  code: (s: string) => string;
  link: (s: string) => string;
  dim: (s: string) => string;
  keyword: (s: string) => string;
  string: (s: string) => string;
  comment: (s: string) => string;
  number: (s: string) => string;
  ok: (s: string) => string;
  bad: (s: string) => string;
  accent: (s: string) => string;
}

const plain = (s: string): string => s;

export function palette(color = style.level > 0): Palette {
  if (!color) {
    return {
      color: false,
      heading: plain, subheading: plain, strong: plain, em: plain, del: plain, code: plain, link: plain,
      dim: plain, keyword: plain, string: plain, comment: plain, number: plain, ok: plain, bad: plain, accent: plain,
    };
  }
  return {
    color: true,
    heading: (s) => style.bold.cyan(s),
    subheading: (s) => style.bold(s),
    strong: (s) => style.bold(s),
    em: (s) => style.italic(s),
    del: (s) => style.strikethrough(s),
    code: (s) => style.yellow(s),
    link: (s) => style.blue.underline(s),
    dim: (s) => style.dim(s),
    keyword: (s) => style.magenta(s),
    string: (s) => style.green(s),
    comment: (s) => style.gray(s),
    number: (s) => style.cyan(s),
    ok: (s) => style.green(s),
    bad: (s) => style.red(s),
    accent: (s) => style.bold.yellow(s),
  };
}
