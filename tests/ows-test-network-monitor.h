/* ows-test-network-monitor.h: a GNetworkMonitor that tests flip by hand.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Stands in for GIO's netlink/NetworkManager monitor, which follows a
 * kernel that CI cannot take offline. The project's only test double.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OWS_TYPE_TEST_NETWORK_MONITOR (ows_test_network_monitor_get_type ())

G_DECLARE_FINAL_TYPE (OwsTestNetworkMonitor, ows_test_network_monitor, OWS, TEST_NETWORK_MONITOR,
                      GObject)

GNetworkMonitor *ows_test_network_monitor_new (gboolean               available,
                                               GNetworkConnectivity   connectivity);
void             ows_test_network_monitor_set (OwsTestNetworkMonitor *self,
                                               gboolean               available,
                                               GNetworkConnectivity   connectivity);

G_END_DECLS
