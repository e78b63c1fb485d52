// Every key the TUI knows, in one place: the help overlay lists them all and the status line shows
// the ones that work where the learner is.
export interface KeyHelp {
  keys: string;
  what: string;
}

export const GLOBAL_KEYS: KeyHelp[] = [
  { keys: "Tab / Shift-Tab", what: "next / previous pane (lessons, lesson, exercise)" },
  { keys: "z", what: "hide / show the lessons list: the lesson or exercise takes the full width (presenting)" },
  { keys: "?", what: "this help (Esc closes it)" },
  { keys: "q / Ctrl-C", what: "quit (your place is remembered)" },
];

export const SIDEBAR_KEYS: KeyHelp[] = [
  { keys: "↑ ↓ / j k", what: "move" },
  { keys: "PgUp PgDn / g G", what: "move by a page / to the top or bottom" },
  { keys: "Enter / →", what: "open the lesson or exercise" },
];

export const LESSON_KEYS: KeyHelp[] = [
  { keys: "↑ ↓ / j k", what: "scroll a line" },
  { keys: "PgUp PgDn / Space b", what: "scroll a screen" },
  { keys: "g G / Home End", what: "top / bottom of the page" },
  { keys: "n p / → ←", what: "next / previous page (across lessons)" },
  { keys: "] [", what: "focus the next / previous code block" },
  { keys: "> <", what: "shift code wider than the pane sideways (code is never wrapped)" },
  { keys: "y", what: "copy the focused code block, with any hidden set-up lines so it runs (OSC 52: works over SSH and in tmux)" },
  { keys: "Enter", what: "open this lesson's exercise" },
];

export const EXERCISE_KEYS: KeyHelp[] = [
  { keys: "c / Enter", what: "run the checks (live)" },
  { keys: "x / Esc", what: "stop a running check" },
  { keys: "h", what: "reveal the next hint" },
  { keys: "w", what: "watch mode: re-run on every save (program exercises)" },
  { keys: "r", what: "re-run now (when file watching misses a save)" },
  { keys: "t", what: "message timeline of the last run" },
  { keys: "s", what: "reference solution (after your checks pass)" },
  { keys: "y", what: "copy the path of your file (program exercises), to open it in your editor" },
  { keys: "i", what: "write a workspace here when you have none (like goingnats init)" },
  { keys: "n p", what: "next / previous exercise" },
  { keys: "↑ ↓ / j k, PgUp PgDn", what: "scroll" },
];

export const OVERLAY_KEYS: KeyHelp[] = [
  { keys: "↑ ↓ / j k, PgUp PgDn", what: "scroll" },
  { keys: "Esc", what: "close" },
];
