// A light syntax colour for code blocks in lessons: keywords, strings, comments, numbers. A small
// tokenizer is enough for teaching snippets and keeps highlight.js (~2 MiB) out of the bundle.
import type { Palette } from "./palette.js";

type Lang = "sh" | "js" | "json";

const LANGS: Record<string, Lang> = {
  sh: "sh", bash: "sh", shell: "sh", zsh: "sh", console: "sh", shellsession: "sh",
  ts: "js", typescript: "js", js: "js", javascript: "js", mjs: "js", cjs: "js", tsx: "js", jsx: "js",
  json: "json", jsonc: "json",
};

const JS_KEYWORDS = new Set(
  ("await async break case catch class const continue default delete do else export extends false finally for from " +
    "function if import in instanceof interface let new null of return static super switch this throw true try type " +
    "typeof undefined var void while yield as enum implements private public readonly").split(" "),
);
const SH_KEYWORDS = new Set("if then else elif fi for do done while until case esac function in return export local set unset sudo".split(" "));

// One regex per language; the first group that matches names the token kind.
const RULES: Record<Lang, RegExp> = {
  js: /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b|\b0x[\da-f]+\b)|([A-Za-z_$][\w$]*)/giy,
  sh: /((?:^|(?<=\s))#[^\n]*)|("(?:[^"\\]|\\.)*"?|'[^']*'?)|(\$\{[^}]*\}|\$\w+|(?:^|(?<=\s))--?[\w-]+)|([A-Za-z_][\w-]*)/gy,
  json: /(\/\/[^\n]*)|("(?:[^"\\\n]|\\.)*"?)(?=\s*:)|("(?:[^"\\\n]|\\.)*"?)|(-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\btrue\b|\bfalse\b|\bnull\b)/giy,
};

export function languageOf(lang: string | undefined): Lang | undefined {
  return lang ? LANGS[lang.toLowerCase()] : undefined;
}

/** Colour `code` for `lang`; unknown languages and plain palettes come back unchanged. */
export function highlight(code: string, lang: string | undefined, p: Palette): string {
  const l = languageOf(lang);
  if (!l || !p.color) return code;
  const re = RULES[l];
  let out = "";
  let plain = "";
  let i = 0;
  while (i < code.length) {
    re.lastIndex = i;
    const m = re.exec(code);
    if (!m || m[0] === "") {
      plain += code[i++];
      continue;
    }
    out += plain;
    plain = "";
    out += paint(l, m, p);
    i += m[0].length;
  }
  return out + plain;
}

function paint(l: Lang, m: RegExpExecArray, p: Palette): string {
  const [text, comment, str, third, fourth] = m;
  if (comment) return p.comment(text);
  if (l === "json") {
    if (str) return p.keyword(text); // a key
    if (third) return p.string(text);
    return p.number(text);
  }
  if (str) return p.string(text);
  if (third) return p.number(text);
  if (fourth) {
    const keywords = l === "js" ? JS_KEYWORDS : SH_KEYWORDS;
    return keywords.has(text) ? p.keyword(text) : text;
  }
  return text;
}
