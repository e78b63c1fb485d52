// The open exercise: its task, the checks live while they run, then the verdict with what was
// expected and seen, and the hints revealed so far.
import { Box } from "ink";
import { exerciseState } from "../progress/status.js";
import { clamp } from "./layout.js";
import { Lines, PaneTitle } from "./pane-title.js";
import { exerciseOf, exerciseView, layoutOf, type Env, type State } from "./state.js";

export function ExercisePanel(props: { state: State; env: Env; width: number; height: number; spinner: string }) {
  const { state: s, env, width, height, spinner } = props;
  const ex = exerciseOf(s, env);
  const view = exerciseView(s, env, spinner);
  const rows = layoutOf(s).contentRows;
  const lines = view?.lines ?? ["No exercise selected: pick one in the list (Tab)."];
  const scroll = clamp(s.exScroll, 0, Math.max(0, lines.length - rows));
  const st = ex ? exerciseState(s.progress, ex.id) : "not-started";
  const running = ex && s.active === ex.id;
  const words = env.screenReader;
  const verdict = st === "passed" ? (words ? "passed" : "✓ passed") : st === "failed" ? (words ? "failed" : "✗ failed") : "not passed";
  const right = ex ? `${running ? (words ? "checking · " : `${spinner} checking · `) : ""}${s.watch === ex.id ? "watching · " : ""}${ex.kind} · ${verdict}` : "";
  return (
    <Box flexDirection="column" width={width} height={height}>
      <PaneTitle left={ex ? `Exercise · ${ex.id}` : "Exercise"} right={right} width={width} focused={s.focus === "exercise"} color={env.color} />
      <Lines lines={lines.slice(scroll, scroll + rows)} height={rows} prefix={() => "  "} />
    </Box>
  );
}
