/* ows-test-probe.h: the internet's connectivity-check servers, played on 127.0.0.1.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Stands in for nmcheck.gnome.org and the two web sites of network_tests,
 * which a test can neither reach nor make slow, broken or captive.
 */
#pragma once

#include "ows-config.h"

G_BEGIN_DECLS

/* Other paths answer 404, except in WRONG_TEXT (a portal intercepts all). */
typedef enum
{
  /* /check: 200 "NetworkManager is online\n"; /web, /web2: 200 "ok" */
  OWS_TEST_PROBE_ONLINE,
  /* every path: 200 with an HTML sign-in page that lacks the text */
  OWS_TEST_PROBE_WRONG_TEXT,
  /* /check, /web, /web2: 302, Location: http://127.0.0.1:PORT/portal/login?from=check;
   * /portal/login: 200 sign-in page */
  OWS_TEST_PROBE_REDIRECT,
  /* every request is held; answered as the next mode would (ONLINE when
   * the probe is freed) when the mode changes */
  OWS_TEST_PROBE_SLOW,
  /* nothing listens on the port any more: connection refused */
  OWS_TEST_PROBE_CLOSED,
  /* /check: 503; /web, /web2: 200 "ok" (the check server is broken, the internet is not) */
  OWS_TEST_PROBE_SERVER_ERROR,
} OwsTestProbeMode;

typedef struct _OwsTestProbe OwsTestProbe;

OwsTestProbe *ows_test_probe_new               (void);
void          ows_test_probe_free              (OwsTestProbe     *self);
void          ows_test_probe_set_mode          (OwsTestProbe     *self,
                                                OwsTestProbeMode  mode);
guint         ows_test_probe_get_port          (OwsTestProbe     *self);
guint         ows_test_probe_get_requests      (OwsTestProbe     *self);
guint         ows_test_probe_get_path_requests (OwsTestProbe     *self,
                                                const char       *path);
char         *ows_test_probe_dup_url           (OwsTestProbe     *self,
                                                const char       *path);
void          ows_test_probe_configure         (OwsTestProbe     *self,
                                                OwsConfig        *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwsTestProbe, ows_test_probe_free)

G_END_DECLS
