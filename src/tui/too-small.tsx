// Below the minimum size the panes cannot be drawn without garbage: say so, and how big is enough.
import { Box, Text } from "ink";
import { MIN_COLS, MIN_ROWS } from "./layout.js";

export function TooSmall(props: { cols: number; rows: number }) {
  return (
    <Box flexDirection="column" width={Math.max(1, props.cols - 1)}>
      <Text wrap="wrap">{`Window too small (${props.cols}×${props.rows}).`}</Text>
      <Text wrap="wrap">{`goingnats needs at least ${MIN_COLS}×${MIN_ROWS}: make the window bigger.`}</Text>
      <Text wrap="wrap">q quits.</Text>
    </Box>
  );
}
