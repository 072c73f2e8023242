import { memo } from 'react';
import { taskTypes, type TaskType } from '@batchgraph/engine';
import { PALETTE_MIME } from '../canvas/JobCanvas';
import { typeDescription, typeGlyph, typeTitle } from '../canvas/taskTypes';
import './Palette.css';

/** Task types to drag onto the canvas (or press Enter on one to add it in the middle). */
export const Palette = memo(function Palette({ onAdd }: { onAdd: (type: TaskType) => void }) {
  return (
    <nav className="palette" aria-label="Task types">
      <h2 className="palette__title">Add a task</h2>
      <ul className="palette__list">
        {taskTypes.map((type) => (
          <li key={type}>
            <button
              type="button"
              className="palette__item"
              draggable
              data-task-type={type}
              title={`${typeDescription(type)} Drag onto the canvas, or click to add.`}
              onDragStart={(event) => {
                event.dataTransfer.setData(PALETTE_MIME, type);
                event.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onAdd(type)}
            >
              <span className="palette__glyph" aria-hidden="true">
                {typeGlyph[type]}
              </span>
              <span>{typeTitle(type)}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="palette__hint muted">Drag onto the canvas or click. N adds a task.</p>
    </nav>
  );
});
