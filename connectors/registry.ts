import type { ChannelType, ConnectorDefinition } from './contract';
import { botframeworkConnector } from './botframework';
import { telegramConnector } from './telegram';
import { viberConnector } from './viber';
import { whatsappCloudConnector } from './whatsapp-cloud';
import { whatsappWebConnector } from './whatsapp-web';

/** Every connector Parley ships: adding a platform is one line here plus its own folder. */
export const connectorDefinitions: ConnectorDefinition<any, any>[] = [
  telegramConnector,
  botframeworkConnector,
  viberConnector,
  whatsappCloudConnector,
  whatsappWebConnector,
];

export function connectorDefinition(type: string): ConnectorDefinition<any, any> | undefined {
  return connectorDefinitions.find((d) => d.type === (type as ChannelType));
}
