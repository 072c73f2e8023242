import { useReactFlow, type FitViewOptions } from '@xyflow/react';
import { useCallback } from 'react';

/** Under a large graph's overview the nodes are hidden, not gone: fitting the view counts them. */
export const withOverviewNodes = (options?: FitViewOptions): FitViewOptions => ({
  ...options,
  includeHiddenNodes: true,
});

/** React Flow's fitView, for tasks whether or not the overview draws them. */
export function useFitView(): (options?: FitViewOptions) => void {
  const flow = useReactFlow();
  return useCallback((options) => void flow.fitView(withOverviewNodes(options)), [flow]);
}
