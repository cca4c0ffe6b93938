import type { ChannelType, ConnectorDefinition } from './contract';
import { telegramConnector } from './telegram';

/** Every connector Parley ships: adding a platform is one line here plus its own folder. */
export const connectorDefinitions: ConnectorDefinition<any, any>[] = [
  telegramConnector,
];

export function connectorDefinition(type: string): ConnectorDefinition<any, any> | undefined {
  return connectorDefinitions.find((d) => d.type === (type as ChannelType));
}
