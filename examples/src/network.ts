/**
 * Stand-in for a fleet of network devices behind an automation endpoint: each device accepts a
 * configuration payload and keeps what it applied.
 */
import type { Express } from 'express';
import { jsonApp } from './http';

export interface Device {
  name: string;
  model: string;
  config?: unknown;
  appliedAt?: string;
  applied: number;
}

const seed: [string, string][] = [
  ['edge-router-1', 'MX204'],
  ['edge-router-2', 'MX204'],
  ['core-switch-1', 'QFX5120'],
  ['access-switch-1', 'EX2300'],
  ['access-switch-2', 'EX2300'],
];

export function createNetworkApp(): Express {
  const devices = new Map<string, Device>(
    seed.map(([name, model]) => [name, { name, model, applied: 0 }]),
  );

  const app = jsonApp();

  app.get('/api/devices', (_req, res) => {
    res.json({ devices: [...devices.values()].map(({ name, model }) => ({ name, model })) });
  });

  app.post('/api/devices/:name/config', (req, res) => {
    const device = devices.get(req.params.name);
    if (!device) {
      res.status(404).json({ error: `no device named ${req.params.name}` });
      return;
    }
    if (req.body === undefined || req.body === null || typeof req.body !== 'object') {
      res.status(400).json({ error: 'the configuration payload must be a JSON object' });
      return;
    }
    device.config = req.body;
    device.appliedAt = new Date().toISOString();
    device.applied += 1;
    res.json({ device: device.name, applied: true, appliedAt: device.appliedAt });
  });

  app.get('/_state', (_req, res) => {
    res.json({ devices: [...devices.values()] });
  });

  return app;
}
