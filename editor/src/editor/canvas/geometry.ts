import { Position, type NodeHandle } from '@xyflow/react';

/**
 * Every task node has the same size and handle places. Declaring them lets React Flow draw edges
 * without measuring 1,000 nodes first, and keeps nodes visible while they change.
 */
export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 84;
const HANDLE = 12;

export const NODE_HANDLES: NodeHandle[] = [
  {
    id: null,
    type: 'target',
    position: Position.Left,
    x: -HANDLE / 2,
    y: NODE_HEIGHT / 2 - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
  {
    id: null,
    type: 'source',
    position: Position.Right,
    x: NODE_WIDTH - HANDLE / 2,
    y: NODE_HEIGHT / 2 - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
];

export const NODE_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };
