import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { edgeKinds, type EdgeKind } from '@batchgraph/engine';
import { Menu } from '../../ui/Menu';
import { useCanvasActions } from './actions';
import { edgeColors, edgeDash } from './edgeStyle';
import type { KindFlowEdge } from './flow';
import { useZoomedOut } from './zoom';
import './KindEdge.css';

/** An edge drawn by its kind; its label switches the kind (click → menu). */
export const KindEdge = memo(function KindEdge(props: EdgeProps<KindFlowEdge>) {
  const { id, data, selected } = props;
  const actions = useCanvasActions();
  const zoomedOut = useZoomedOut();
  const [path, labelX, labelY] = getBezierPath(props);
  const kind = data?.kind ?? 'success';
  const invalid = data?.severity === 'error' || !(kind in edgeColors);
  const color = edgeColors[kind] ?? '#c92a2a';
  const classes = [
    'kind-edge__label',
    `kind-edge__label--${kind in edgeColors ? kind : 'invalid'}`,
    selected && 'kind-edge__label--selected',
    data?.severity && `kind-edge__label--${data.severity}`,
    data?.change && `kind-edge__label--${data.change}`,
  ]
    .filter(Boolean)
    .join(' ');
  const text = `${kind}${invalid ? ' !' : ''}${data?.change ? ` · ${data.change}` : ''}`;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={props.markerEnd}
        className={invalid ? 'kind-edge kind-edge--invalid' : 'kind-edge'}
        style={{
          stroke: color,
          strokeWidth: selected || invalid ? 2.25 : 1.6,
          strokeDasharray: data?.change === 'removed' ? '4 4' : edgeDash[kind],
          opacity: data?.change === 'removed' ? 0.5 : 1,
        }}
        interactionWidth={16}
      />
      {!zoomedOut && (
        <EdgeLabelRenderer>
          <div
            className={classes}
            data-edge-id={id}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {data?.editable && actions ? (
              <Menu
                label={`Edge ${props.source} → ${props.target}: ${kind}. Change kind`}
                trigger={text}
                align="left"
                items={edgeKinds.map((choice: EdgeKind) => ({
                  label: choice,
                  checked: choice === kind,
                  onSelect: () => actions.setEdgeKind(data.index, choice),
                }))}
              />
            ) : (
              <span className="kind-edge__text">{text}</span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
