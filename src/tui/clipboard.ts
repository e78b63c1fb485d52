// Copy to the learner's clipboard with OSC 52: the terminal itself sets the clipboard, so it works
// over SSH and needs no clipboard tool. tmux only passes it on with `set -g set-clipboard on`, or
// inside its passthrough wrapper (allow-passthrough on), so inside tmux both are sent.
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, "utf8").toString("base64")}\x07`;
}

/** tmux passthrough: ESC P tmux; <sequence with every ESC doubled> ESC \ */
export function tmuxPassthrough(seq: string): string {
  return `\x1bPtmux;${seq.replace(/\x1b/g, "\x1b\x1b")}\x1b\\`;
}

export function clipboardSequence(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const seq = osc52(text);
  return env.TMUX ? seq + tmuxPassthrough(seq) : seq;
}

export function copyToClipboard(text: string, write: (s: string) => void): void {
  write(clipboardSequence(text));
}
