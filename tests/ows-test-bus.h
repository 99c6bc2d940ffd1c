/* ows-test-bus.h: a manager on a fresh embedded bus, with a scripted peer on it: the fixture of the protocol and window tests.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-service.h"
#include "ows-test-network-monitor.h"
#include "ows-test-peer.h"
#include "ows-test-probe.h"

G_BEGIN_DECLS

typedef struct {
  OwsBusServer *server;
  char *url;
  guint port;
  OwsConfig *config;
  GNetworkMonitor *monitor;     /* an OwsTestNetworkMonitor: a network is up */
  OwsTestProbe *probe;          /* network_tests point here; it answers "online" */
  OwsService *service;
  OwsManager *manager;
  OwsConnectivity *connectivity;
  OwsTestPeer *peer;
} OwsTestBus;

void ows_test_bus_setup    (OwsTestBus *bus,
                            gboolean    echo);
void ows_test_bus_init     (OwsTestBus *bus,
                            gboolean    echo);
void ows_test_bus_start    (OwsTestBus *bus);
void ows_test_bus_start_online (OwsTestBus *bus);
void ows_test_bus_set_first_boot (OwsTestBus *bus,
                                  gboolean    first_boot);
void ows_test_bus_teardown (OwsTestBus *bus);

G_END_DECLS
