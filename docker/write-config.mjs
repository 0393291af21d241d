// Writes the page's config.json from the container's environment (see docker/entrypoint.sh).
// Plain JavaScript: the runtime image runs it with node alone. JSON.stringify does the quoting, so
// values may hold quotes, slashes, backslashes or anything else.
//
//   TOKEN_MODE              application-server (default) or openvidu
//   APPLICATION_SERVER_URL  where the page asks for tokens; empty (default): the page's own origin,
//                           which is this container's `npm run serve`
//   ALLOW_LINK_OVERRIDES    true lets links (?openviduUrl=…, ?inspect) reconfigure the page;
//                           false (default). Never true in production.
//   OPENVIDU_URL, OPENVIDU_SECRET
//                           written into the page only with TOKEN_MODE=openvidu, the tutorial's
//                           insecure mode (development only: every visitor can read the secret).
import { writeFileSync } from 'node:fs';

export function configFromEnv(env) {
  const tokenMode = env.TOKEN_MODE || 'application-server';
  const overrides = env.ALLOW_LINK_OVERRIDES || 'false';
  if (overrides !== 'true' && overrides !== 'false') {
    throw new Error(`ALLOW_LINK_OVERRIDES must be true or false, not "${overrides}"`);
  }
  const allowLinkOverrides = overrides === 'true';
  if (tokenMode === 'application-server') {
    return { tokenMode, applicationServerUrl: env.APPLICATION_SERVER_URL || '', allowLinkOverrides };
  }
  if (tokenMode === 'openvidu') {
    for (const name of ['OPENVIDU_URL', 'OPENVIDU_SECRET']) {
      if (!env[name]) throw new Error(`TOKEN_MODE=openvidu needs ${name}`);
    }
    return { tokenMode, openviduUrl: env.OPENVIDU_URL, openviduSecret: env.OPENVIDU_SECRET, allowLinkOverrides };
  }
  throw new Error(`TOKEN_MODE must be application-server or openvidu, not "${tokenMode}"`);
}

const target = process.argv[2];
if (!target) {
  console.error('usage: node write-config.mjs <path of config.json>');
  process.exit(2);
}
try {
  const config = configFromEnv(process.env);
  writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
  console.log(`config.json: ${config.tokenMode} mode${config.allowLinkOverrides ? ', link overrides ALLOWED' : ''}`);
} catch (error) {
  console.error(`Cannot write ${target}: ${error.message}`);
  process.exit(1);
}
