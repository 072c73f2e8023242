import { useStore, type ReactFlowState } from '@xyflow/react';

/** Below this zoom, text is unreadable: nodes and edges draw a light version of themselves. */
const DETAIL_ZOOM = 0.45;

const zoomedOutSelector = (state: ReactFlowState) => state.transform[2] < DETAIL_ZOOM;

/** True when the canvas is zoomed out too far for details; changes only at the threshold. */
export function useZoomedOut(): boolean {
  return useStore(zoomedOutSelector);
}
