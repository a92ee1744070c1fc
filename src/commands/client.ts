import type { CommandDef } from './table';

export const clientCommands: CommandDef[] = [];
