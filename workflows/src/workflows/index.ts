/** The workflows a Batchgraph worker serves (its `workflowsPath`). */
export { runPlan } from './run-plan';
