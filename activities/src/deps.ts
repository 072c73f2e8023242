/** What the task modules need from the worker, assembled once by createActivities. */
import type { Db } from 'mongodb';
import type { AllowedCommands } from './command';
import type { HttpDeps } from './http';
import type { MailDeps } from './notify';

export interface TaskDeps {
  http: HttpDeps;
  mail: MailDeps;
  commandsAllowed: AllowedCommands;
  db?: Db;
}
