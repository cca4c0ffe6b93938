FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# As scripts/install.sh: exactly the lock file, no install script (none is needed), no browser download.
RUN PUPPETEER_SKIP_DOWNLOAD=true npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# Chromium for WhatsApp Web sessions.
RUN apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
RUN mkdir -p /data && chown node /data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
