import { MarkerType, type EdgeMarker } from '@xyflow/react';

/** success: green solid; failure: red dashed; always: grey dotted (colour is never the only cue). */
export const edgeColors: Record<string, string> = {
  success: '#2b8a3e',
  failure: '#c92a2a',
  always: '#6b7280',
};

export const edgeDash: Record<string, string | undefined> = {
  success: undefined,
  failure: '8 5',
  always: '2 5',
};

const markers = new Map<string, EdgeMarker>();
export function edgeMarker(kind: string): EdgeMarker {
  let marker = markers.get(kind);
  if (!marker) {
    marker = {
      type: MarkerType.ArrowClosed,
      color: edgeColors[kind] ?? '#c92a2a',
      width: 18,
      height: 18,
    };
    markers.set(kind, marker);
  }
  return marker;
}
