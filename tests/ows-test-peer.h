/* ows-test-peer.h: a scripted bus peer for tests: a bare WebSocket that records what it hears.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-message.h"

G_BEGIN_DECLS

typedef struct _OwsTestPeer OwsTestPeer;

typedef enum
{
  OWS_TEST_GUI_SILENT,        /* no ovos-gui on the bus */
  OWS_TEST_GUI_CONNECTED,     /* ovos-gui, with an OVOS screen connected */
  OWS_TEST_GUI_DISCONNECTED,  /* ovos-gui, without one */
} OwsTestGui;

/* Every wait in the tests has a deadline; a test that hangs is a failed test. */
#define OWS_TEST_TIMEOUT_MS 5000

OwsTestPeer *ows_test_peer_new       (const char  *url);
void         ows_test_peer_free      (OwsTestPeer *peer);
void         ows_test_peer_send      (OwsTestPeer *peer,
                                      const char  *type,
                                      const char  *data_json);
void         ows_test_peer_answer_gui (OwsTestPeer *peer,
                                      OwsTestGui   gui);
void         ows_test_peer_send_raw  (OwsTestPeer *peer,
                                      const char  *text,
                                      gsize        length);
OwsMessage  *ows_test_peer_wait      (OwsTestPeer *peer,
                                      const char  *type,
                                      guint        timeout_ms);
OwsMessage  *ows_test_peer_expect    (OwsTestPeer *peer,
                                      const char  *type);
JsonObject  *ows_test_peer_status    (OwsTestPeer *peer);
void         ows_test_peer_assert_count (OwsTestPeer *peer,
                                      const char  *type,
                                      guint        expected);
void         ows_test_peer_assert_none (OwsTestPeer *peer,
                                      const char  *type,
                                      guint        wait_ms);
guint        ows_test_peer_count     (OwsTestPeer *peer,
                                      const char  *type);
void         ows_test_peer_clear     (OwsTestPeer *peer);
gboolean     ows_test_peer_is_open   (OwsTestPeer *peer);

GPtrArray   *ows_test_load_trace     (const char  *name);
gboolean     ows_test_wait_until     (gboolean   (*condition) (gpointer),
                                      gpointer     data,
                                      guint        timeout_ms);
gboolean     ows_test_tick_cb        (gpointer     data);

/* Runs the main context until @cond (any expression) holds, for at most
 * OWS_TEST_TIMEOUT_MS; the caller then asserts it, so that a failure shows
 * the values. A tick wakes the loop for conditions that only another
 * process answers (a mock's state, a child's files). */
#define OWS_TEST_WAIT_UNTIL(cond) \
  G_STMT_START { \
    guint tick_ = g_timeout_add (20, ows_test_tick_cb, NULL); \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) OWS_TEST_TIMEOUT_MS * 1000; \
    while (!(cond) && g_get_monotonic_time () < deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (tick_); \
  } G_STMT_END
void         ows_test_sleep          (guint        ms);
guint        ows_test_scaled_ms      (guint        ms);
void         ows_test_isolate_config (void);
guint        ows_test_free_port      (void);
char        *ows_test_client_json    (const char  *name,
                                      const char  *type,
                                      const char  *text,
                                      gboolean     has_gui,
                                      gboolean     requires_input);
void         ows_test_remove_tree    (const char  *path);
void         ows_test_write_text     (const char  *path,
                                      const char  *text);
char        *ows_test_read_text      (const char  *path);
gboolean     ows_test_under_checker  (void);
JsonNode    *ows_test_parse_config_text (const char *text);
void         ows_test_init           (int         *argc,
                                      char      ***argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwsTestPeer, ows_test_peer_free)

G_END_DECLS
