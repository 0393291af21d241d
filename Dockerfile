# The call page and its application server in one image, as the OpenVidu tutorials ship theirs.
#   docker build -t openvidu-call-machine .
#   docker run -p 5000:5000 -e OPENVIDU_URL=https://openvidu.example.com -e OPENVIDU_SECRET=… openvidu-call-machine
# The entrypoint writes dist/config.json from the environment (docker/write-config.mjs), then runs
# exactly what the tests run: `npm run serve`.

# 1. Build the page.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. The runtime: production dependencies, the application server, the built page.
FROM node:20-bookworm-slim
ENV NODE_ENV=production SERVER_PORT=5000 PAGE_DIR=/app/dist
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY server/app ./server/app
COPY docker ./docker
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 5000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["npm", "run", "serve"]
