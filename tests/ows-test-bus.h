/* ows-test-bus.h: a manager on a fresh embedded bus, with a scripted peer on it: the fixture of the protocol and window tests.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-service.h"
#include "ows-test-peer.h"

G_BEGIN_DECLS

typedef struct {
  OwsBusServer *server;
  char *url;
  guint port;
  OwsConfig *config;
  OwsService *service;
  OwsManager *manager;
  OwsTestPeer *peer;
} OwsTestBus;

void ows_test_bus_setup    (OwsTestBus *bus,
                            gboolean    echo);
void ows_test_bus_teardown (OwsTestBus *bus);

G_END_DECLS
