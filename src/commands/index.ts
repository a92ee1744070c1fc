// Every command family, gathered into one table.

import type { CommandDef } from './table';
import { connectionCommands } from './connection';
import { stringCommands } from './string';
import { bitmapCommands } from './bitmap';
import { keyCommands } from './keys';
import { transactionCommands } from './transaction';
import { pubsubCommands } from './pubsub';
import { clientCommands } from './client';
import { infoCommands } from './info';
import { configCommands } from './config';
import { serverCommands } from './server';
import { commandCommands } from './command';
import { debugCommands } from './debug';
import { introspectionCommands } from './introspection';
import { persistenceCommands } from './persistence';
import { listCommands } from './list';
import { hashCommands } from './hash';
import { hashExpireCommands } from './hashExpire';
import { setCommands } from './set';
import { zsetCommands } from './zset';
import { sortCommands } from './sort';
import { streamCommands } from './stream';
import { geoCommands } from './geo';
import { hyperloglogCommands } from './hyperloglog';

export function allCommands(): CommandDef[] {
  return [
    ...connectionCommands,
    ...stringCommands,
    ...bitmapCommands,
    ...keyCommands,
    ...transactionCommands,
    ...pubsubCommands,
    ...clientCommands,
    ...infoCommands,
    ...configCommands,
    ...serverCommands,
    ...commandCommands,
    ...debugCommands,
    ...introspectionCommands,
    ...persistenceCommands,
    ...listCommands,
    ...hashCommands,
    ...hashExpireCommands,
    ...setCommands,
    ...zsetCommands,
    ...sortCommands,
    ...streamCommands,
    ...geoCommands,
    ...hyperloglogCommands,
  ];
}
