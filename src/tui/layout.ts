// Where each pane goes for a window size. Shared by the reducer (to clamp scrolling and page by the
// visible height) and the components (to draw), so both always agree.
export const MIN_COLS = 60;
export const MIN_ROWS = 16;
/** Below this width the sidebar is not drawn beside the lesson: Tab shows it in place of the main pane. */
export const SIDE_BY_SIDE_COLS = 80;

export type Focus = "sidebar" | "lesson" | "exercise";

export interface Layout {
  tooSmall: boolean;
  /** Rows ink draws. One less than the window: a frame as tall as the window makes ink clear the screen on every update. */
  height: number;
  /** Rows for the panes, title rows included (the status line takes the rest). */
  bodyRows: number;
  /** Rows for a pane's content (below its title row). */
  contentRows: number;
  showSidebar: boolean;
  showMain: boolean;
  sidebarWidth: number;
  mainWidth: number;
  /** Width lesson and exercise text is rendered to: the main pane less its focus margin and right padding. */
  textWidth: number;
}

export const STATUS_ROWS = 2;

/** `onePane`: one pane at a time at any width (screen readers read the whole screen in order). */
export function computeLayout(cols: number, rows: number, focus: Focus, onePane = false): Layout {
  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const height = Math.max(1, rows - 1);
  const bodyRows = Math.max(1, height - STATUS_ROWS);
  const contentRows = Math.max(1, bodyRows - 1);
  const wide = !onePane && cols >= SIDE_BY_SIDE_COLS;
  const sidebarWidth = wide ? Math.min(36, Math.max(26, Math.round(cols * 0.28))) : cols;
  const showSidebar = wide || focus === "sidebar";
  const showMain = wide || focus !== "sidebar";
  const mainWidth = wide ? cols - sidebarWidth - 1 : cols;
  return { tooSmall, height, bodyRows, contentRows, showSidebar, showMain, sidebarWidth, mainWidth, textWidth: Math.max(20, mainWidth - 3) };
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
