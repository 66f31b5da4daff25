"""Drive Debian's python3-neutron Dnsmasq driver offline to write host, addn_hosts and opts files
and the dnsmasq command line for one fake network (no agent, no RPC, no root)."""
import os
import sys
from unittest import mock

from oslo_config import cfg

from neutron.agent.linux import dhcp
from neutron.conf.agent import common as config
from neutron.conf.agent import dhcp as dhcp_config
from neutron.conf import common as base_config

OUT = os.path.abspath(sys.argv[1])
NET = "6f5c0a1e-8d2b-4c3a-9e71-2b7d4c0e9a10"
S4 = "1a2b3c4d-0000-4000-8000-000000000004"
S6 = "1a2b3c4d-0000-4000-8000-0000000006a1"
S6L = "1a2b3c4d-0000-4000-8000-0000000006b2"
DHCP_PORT = "d0d0d0d0-0000-4000-8000-00000000d4c9"
ROUTER_PORT = "e0e0e0e0-0000-4000-8000-0000000000e1"
VM_PORT = "a1a1a1a1-0000-4000-8000-000000000001"
PXE_PORT = "b2b2b2b2-0000-4000-8000-000000000002"
CID_PORT = "c3c3c3c3-0000-4000-8000-000000000003"
CIDX_PORT = "c4c4c4c4-0000-4000-8000-000000000004"

conf = config.setup_conf()
conf.register_opts(base_config.core_opts)
conf.register_opts(dhcp_config.DHCP_OPTS)
conf.register_opts(dhcp_config.DNSMASQ_OPTS)
conf.register_opts(config.DHCP_PROTOCOL_OPTS)
config.register_external_process_opts(conf)
config.register_interface_driver_opts_helper(conf)
conf.register_opt(cfg.BoolOpt('enable_isolated_metadata', default=True))
conf.register_opt(cfg.BoolOpt('force_metadata', default=False))
conf.register_opt(cfg.BoolOpt('enable_metadata_network', default=False))
conf(args=[])
conf.set_override('dhcp_confs', OUT)
conf.set_override('dns_domain', 'openstacklocal')
conf.set_override('dhcp_renewal_time', 600)
conf.set_override('dhcp_rebinding_time', 900)
conf.set_override('dnsmasq_dns_servers', ['192.0.2.53', '2001:db8::53'])


def D(**kw):
    return dhcp.DictModel(kw)


def subnet(sid, version, cidr, gateway, dns=(), routes=(), mode=None):
    return D(id=sid, ip_version=version, cidr=cidr, gateway_ip=gateway, enable_dhcp=True,
             dns_nameservers=list(dns), host_routes=[D(**r) for r in routes],
             ipv6_address_mode=mode, ipv6_ra_mode=mode, segment_id=None, subnetpool_id=None,
             network_id=NET)


def port(pid, mac, owner, ips, opts=(), device_id='vm'):
    return D(id=pid, mac_address=mac, device_owner=owner, device_id=device_id, network_id=NET,
             fixed_ips=[D(subnet_id=s, ip_address=a) for s, a in ips],
             extra_dhcp_opts=[D(opt_name=n, opt_value=v, ip_version=ver) for n, v, ver in opts],
             dns_assignment=[], admin_state_up=True)


subnets = [
    subnet(S4, 4, '10.20.0.0/24', '10.20.0.1', dns=['8.8.8.8', '8.8.4.4'],
           routes=[{'destination': '172.16.0.0/16', 'nexthop': '10.20.0.254'}]),
    subnet(S6, 6, 'fd00:20:1::/64', 'fd00:20:1::1', mode='dhcpv6-stateful'),
    subnet(S6L, 6, 'fd00:20:2::/64', 'fd00:20:2::1', dns=['fd00:20:2::53'], mode='dhcpv6-stateless'),
]
ports = [
    port(DHCP_PORT, 'fa:16:3e:00:20:02', 'network:dhcp',
         [(S4, '10.20.0.2'), (S6, 'fd00:20:1::2'), (S6L, 'fd00:20:2::2')], device_id='dhcp-agent'),
    port(ROUTER_PORT, 'fa:16:3e:00:20:01', 'network:router_interface', [(S4, '10.20.0.1')],
         device_id='router'),
    port(VM_PORT, 'fa:16:3e:00:20:11', 'compute:nova',
         [(S4, '10.20.0.11'), (S6, 'fd00:20:1::11'), (S6L, 'fd00:20:2:0:f816:3eff:fe00:2011')]),
    port(PXE_PORT, 'FA:16:3E:00:20:21', 'baremetal:none',
         [(S4, '10.20.0.21'), (S6, 'fd00:20:1::21'), (S6L, 'fd00:20:2::21')],
         opts=[('tag:!ipxe,bootfile-name', 'undionly.kpxe', 4),
               ('tag:ipxe,bootfile-name', 'http://10.20.0.10:8088/boot.ipxe', 4),
               ('tftp-server', '10.20.0.10', 4),
               ('server-ip-address', '10.20.0.10', 4),
               ('tag:!ipxe6,bootfile-url', 'tftp://[fd00:20:1::10]/ipxe.efi', 6),
               ('tag:ipxe6,bootfile-url', 'http://[fd00:20:1::10]/boot.ipxe', 6),
               ('150', '10.20.0.10', 4)]),
    port(CID_PORT, 'fa:16:3e:00:20:31', 'compute:nova', [(S4, '10.20.0.31')],
         opts=[('client-id', 'test31', 4)]),
    port(CIDX_PORT, 'fa:16:3e:00:20:41', 'compute:nova', [(S4, '10.20.0.41'), (S6, 'fd00:20:1::41')],
         opts=[('client-id', '01:fa:16:3e:00:20:41', 4), ('ntp-server', '10.20.0.123', 4),
               ('dns-server', '[fd00:20:1::53]', 6)]),
]
network = D(id=NET, subnets=subnets, non_local_subnets=[], ports=ports, mtu=1450,
            namespace='qdhcp-' + NET, project_id='p', tenant_id='p')

with mock.patch('neutron.agent.linux.dhcp.DeviceManager'), \
        mock.patch('neutron.agent.linux.ip_lib.get_devices_with_ip',
                   return_value=[{'cidr': '10.20.0.2/24'}, {'cidr': 'fd00:20:1::2/64'},
                                 {'cidr': 'fd00:20:2::2/64'}]):
    dm = dhcp.Dnsmasq(conf, network, mock.Mock(), version=None, plugin=mock.Mock())
    dm._IS_HOST_TAG_SUPPORTED = True
    dm._IS_DHCP_RELEASE6_SUPPORTED = True
    dm.interface_name = 'tapd0d0d0d0-00'
    dm._output_hosts_file()
    dm._output_addn_hosts_file()
    dm._output_opts_file()
    cmd = dm._build_cmdline_callback(os.path.join(OUT, NET, 'pid'))

with open(os.path.join(OUT, NET, 'dnsmasq-args'), 'w') as f:
    for a in cmd:
        f.write(a.replace(OUT, '{CONFS}') + '\n')
