import { ConnectorRegistry } from './connector-registry';
import { botframeworkConnector } from './botframework';
import { sandboxConnector } from './sandbox';
import { telegramConnector } from './telegram';
import { viberConnector } from './viber';
import { whatsappCloudConnector } from './whatsapp-cloud';
import { whatsappWebConnector } from './whatsapp-web';

/** Every connector Parley ships: adding a platform is one line here plus its own folder (docs/adding-a-connector.md). */
export const shippedConnectors = new ConnectorRegistry([
  telegramConnector,
  botframeworkConnector,
  viberConnector,
  whatsappCloudConnector,
  whatsappWebConnector,
  sandboxConnector,
]);

export { ConnectorRegistry } from './connector-registry';
