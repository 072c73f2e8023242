import { describe, expect, it } from 'vitest';
import { isHostAllowed, refusedAddressReason } from '../src/hosts';

const allowed = (url: string, list: string[]): boolean => isHostAllowed(new URL(url), list);

describe('host allow-list', () => {
  it('matches hosts, host:port, subdomain wildcards and bracketed IPv6', () => {
    expect(allowed('https://api.example.com/x', ['api.example.com'])).toBe(true);
    expect(allowed('https://API.Example.com./x', ['api.example.com'])).toBe(true);
    expect(allowed('https://other.example.com/', ['api.example.com'])).toBe(false);
    expect(allowed('https://a.b.example.com/', ['*.example.com'])).toBe(true);
    expect(allowed('https://example.com/', ['*.example.com'])).toBe(false);
    expect(allowed('https://evil-example.com/', ['*.example.com'])).toBe(false);
    expect(allowed('http://10.0.0.5:8080/', ['10.0.0.5:8080'])).toBe(true);
    expect(allowed('http://10.0.0.5/', ['10.0.0.5:8080'])).toBe(false);
    expect(allowed('https://10.0.0.5/', ['10.0.0.5:443'])).toBe(true);
    expect(allowed('http://[::1]:9000/', ['[::1]'])).toBe(true);
    expect(allowed('http://[::1]:9000/', ['[::1]:9001'])).toBe(false);
    expect(allowed('http://anything.test/', ['*'])).toBe(true);
    expect(allowed('http://anything.test/', [])).toBe(false);
  });

  it('refuses metadata and link-local addresses in every spelling', () => {
    for (const address of [
      '169.254.169.254',
      '169.254.0.1',
      'fe80::1',
      'febf::1',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
    ]) {
      expect(refusedAddressReason(address), address).toBeDefined();
    }
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '::1',
      'fd00:ec2::253',
      '169.255.0.1',
      'example.com',
    ]) {
      expect(refusedAddressReason(address), address).toBeUndefined();
    }
  });
});
