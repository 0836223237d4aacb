import { describe, expect, it } from '@jest/globals';
import { classifyAddress, isReachableAddress, publicTargetsOnly, webhookUrlProblem } from './webhook-target.js';

describe('the class of an address a webhook name resolves to', () => {
  it.each([
    ['93.184.215.14', 'public'],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a00:1::1', 'private'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['not-an-address', 'invalid'],
    ['fe80::1%eth0', 'invalid'],
    ['1.2.3', 'invalid'],
  ])('%s is %s', (address, kind) => expect(classifyAddress(address)).toBe(kind));

  it('lets a webhook reach public addresses only, and loopback under the development allowance', () => {
    expect(isReachableAddress('93.184.215.14', publicTargetsOnly)).toBe(true);
    expect(isReachableAddress('127.0.0.1', publicTargetsOnly)).toBe(false);
    expect(isReachableAddress('127.0.0.1', { allowLoopback: true })).toBe(true);
    expect(isReachableAddress('10.0.0.1', { allowLoopback: true })).toBe(false);
  });
});

describe('a webhook URL before it is resolved', () => {
  it.each([
    ['https://partner.example.org/hooks/homeward', null],
    ['https://PARTNER.example.org./hooks', null],
    ['http://partner.example.org/hooks', 'webhook-https-required'],
    ['ftp://partner.example.org/hooks', 'webhook-url-invalid'],
    ['https://user:pw@partner.example.org/hooks', 'webhook-url-invalid'],
    ['not a url', 'webhook-url-invalid'],
    ['https://0x7f.1/hook', 'webhook-address-refused'],
    ['https://[::ffff:7f00:1]/hook', 'webhook-address-refused'],
    ['https://sub.localhost/hook', 'webhook-address-refused'],
    ['https://printer.local/hook', 'webhook-address-refused'],
    ['https://router.home.arpa/hook', 'webhook-address-refused'],
    ['https://metadata/computeMetadata/v1/', 'webhook-address-refused'],
  ])('%s: %s', (url, problem) => expect(webhookUrlProblem(url, publicTargetsOnly)).toBe(problem));
});
