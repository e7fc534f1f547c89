export { FakeClock } from './clock.js';
export { freePort } from './free-port.js';
export { testRedis, testKeyPrefix, type TestRedis } from './redis.js';
export { testRedisCluster, type TestRedisCluster } from './redis-cluster.js';
export { startForwardingProxy, type ForwardingProxy } from './forwarding-proxy.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { sleep, waitUntil } from './wait.js';
