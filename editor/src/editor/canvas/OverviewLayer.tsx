import { useStoreApi } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import type { OverviewScene } from './overview';

/** Task names are drawn only where they can be read. */
const LABEL_ZOOM = 0.2;
const LABEL_FONT = '600 28px system-ui, sans-serif';
/** A larger picture of the graph is not cached; it is painted straight onto the screen instead. */
const MAX_RASTER_SIDE = 4096;

interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Paints the scene onto a context already scaled and translated to flow coordinates. */
function paintScene(
  context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  scene: OverviewScene,
  zoom: number,
  area: Area,
) {
  // Line widths and dashes are set in screen pixels, so edges stay visible however far out.
  for (const stroke of scene.strokes) {
    context.strokeStyle = stroke.color;
    context.lineWidth = stroke.width / zoom;
    context.setLineDash(stroke.dash.map((length) => length / zoom));
    context.stroke(stroke.path);
  }
  context.setLineDash([]);
  for (const fill of scene.fills) {
    context.fillStyle = fill.color;
    context.fill(fill.path);
  }
  context.strokeStyle = '#3b5bdb';
  context.lineWidth = 3 / zoom;
  context.stroke(scene.selected);
  if (zoom < LABEL_ZOOM) return;
  context.fillStyle = '#ffffff';
  context.font = LABEL_FONT;
  context.textBaseline = 'middle';
  for (const task of scene.tasks) {
    if (
      task.x > area.right ||
      task.y > area.bottom ||
      task.x + 240 < area.left ||
      task.y + 90 < area.top
    )
      continue;
    context.fillText(task.label, task.x + 12, task.y + 42, 208);
  }
}

/** The whole scene painted once at one zoom: panning then only moves this picture. */
interface Raster {
  zoom: number;
  ratio: number;
  image: OffscreenCanvas;
}

function rasterize(scene: OverviewScene, zoom: number, ratio: number): Raster | undefined {
  const { bounds } = scene;
  const scale = zoom * ratio;
  const width = Math.ceil(bounds.width * scale);
  const height = Math.ceil(bounds.height * scale);
  if (width === 0 || height === 0 || width > MAX_RASTER_SIDE || height > MAX_RASTER_SIDE)
    return undefined;
  const image = new OffscreenCanvas(width, height);
  const context = image.getContext('2d');
  if (!context) return undefined;
  context.setTransform(scale, 0, 0, scale, -bounds.x * scale, -bounds.y * scale);
  paintScene(context, scene, zoom, {
    left: bounds.x,
    top: bounds.y,
    right: bounds.x + bounds.width,
    bottom: bounds.y + bounds.height,
  });
  return { zoom, ratio, image };
}

function resize(canvas: HTMLCanvasElement, width: number, height: number, ratio: number) {
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
}

/**
 * Draws the overview scene under React Flow's viewport transform, once per animation frame while
 * the user pans or zooms (the store is read directly, so React does not re-render per frame).
 * The scene is painted once per zoom level into an offscreen picture that panning only moves.
 */
export const OverviewLayer = memo(function OverviewLayer({ scene }: { scene: OverviewScene }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    let raster: Raster | undefined;
    let frame = 0;
    const render = () => {
      frame = 0;
      const {
        transform: [x, y, zoom],
        width,
        height,
      } = store.getState();
      const ratio = window.devicePixelRatio || 1;
      resize(context.canvas, width, height, ratio);
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, context.canvas.width, context.canvas.height);
      if (raster?.zoom !== zoom || raster.ratio !== ratio) raster = rasterize(scene, zoom, ratio);
      if (raster) {
        const left = (x + scene.bounds.x * zoom) * ratio;
        const top = (y + scene.bounds.y * zoom) * ratio;
        context.drawImage(raster.image, Math.round(left), Math.round(top));
      } else {
        context.setTransform(zoom * ratio, 0, 0, zoom * ratio, x * ratio, y * ratio);
        paintScene(context, scene, zoom, {
          left: -x / zoom,
          top: -y / zoom,
          right: (width - x) / zoom,
          bottom: (height - y) / zoom,
        });
      }
      context.canvas.dataset.drawn = 'true';
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    };
    schedule();
    const unsubscribe = store.subscribe((state, previous) => {
      if (
        state.transform !== previous.transform ||
        state.width !== previous.width ||
        state.height !== previous.height
      ) {
        schedule();
      }
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [scene, store]);

  return <canvas ref={canvas} className="graph-overview" aria-hidden="true" />;
});
