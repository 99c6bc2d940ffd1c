/* bench-peek.c: what an unrelated bus frame costs, peeked versus parsed.
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bench-peek"

#include <stdio.h>
#include <string.h>

#include "ows-message.h"

#define GOAL_US 5.0

typedef gboolean (*FrameFunc) (const char *frame, gsize length);

static gboolean
do_peek (const char *frame,
         gsize       length)
{
  char type[OWS_MESSAGE_PEEK_MAX + 1];

  return ows_message_peek_type (frame, length, type);
}

static gboolean
do_parse (const char *frame,
          gsize       length)
{
  g_autoptr(OwsMessage) message = ows_message_parse (frame, length, NULL);

  return message != NULL;
}

static double
run (FrameFunc   func,
     const char *frame,
     gsize       length,
     guint64     iterations)
{
  gint64 start = g_get_monotonic_time ();

  for (guint64 i = 0; i < iterations; i++)
    if (!func (frame, length))
      g_error ("the benchmark frame was refused: %.60s", frame);

  return (double) (g_get_monotonic_time () - start);
}

/* Doubles the iteration count until one run lasts 0.3 s, then measures.
 * Returns microseconds per frame. */
static double
measure (FrameFunc   func,
         const char *frame)
{
  gsize length = strlen (frame);
  guint64 iterations = 1;
  double elapsed;

  while ((elapsed = run (func, frame, length, iterations)) < 300000.0)
    iterations *= elapsed < 30000.0 ? 8 : 2;

  elapsed = run (func, frame, length, iterations);
  return elapsed / iterations;
}

static char *
page_upload_frame (gsize size)
{
  static const char base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  GString *frame = g_string_sized_new (size + 200);

  g_string_append (frame, "{\"data\":{\"namespace\":\"skill-ovos-homescreen.openvoiceos\","
                          "\"pages\":[\"SYSTEM_Home.qml\"],\"data\":\"");
  for (gsize i = 0; i < size; i++)
    g_string_append_c (frame, base64[(i * 7) % 64]);
  g_string_append (frame, "\"},\"context\":{\"source\":\"gui\"},\"type\":\"gui.page.upload\"}");
  return g_string_free (frame, FALSE);
}

/* Plain printf: the report stays UTF-8 whatever the locale says. */
static void
report (const char *label,
        const char *frame)
{
  g_autofree char *what = g_strdup_printf ("%s (%zu B)", label, strlen (frame));
  double peek = measure (do_peek, frame);
  double parse = measure (do_parse, frame);

  printf ("peek  %-36s %11.3f µs/frame\n", what, peek);
  printf ("parse %-36s %11.3f µs/frame\n", what, parse);
  printf ("ratio %-36s %11.0f × (parse/peek)\n", what, parse / peek);
}

int
main (int    argc,
      char **argv)
{
  /* Realistic unrelated traffic, about 200 bytes, as recorded on a device. */
  const char *value_set =
    "{\"data\":{\"namespace\":\"skill-ovos-weather.openvoiceos\",\"data\":{\"current\":\"21\","
    "\"condition\":\"partly cloudy\",\"high\":\"24\",\"low\":\"15\"}},\"context\":{\"source\":"
    "\"skills\",\"destination\":\"gui\"},\"type\":\"gui.value.set\"}";
  const char *speak =
    "{\"type\":\"speak\",\"data\":{\"utterance\":\"It is 21 degrees and partly cloudy in "
    "Lawrence.\",\"expect_response\":false,\"lang\":\"en-US\"},\"context\":{\"source\":"
    "\"skills\",\"destination\":[\"audio\"]}}";
  g_autofree char *upload = page_upload_frame (1024 * 1024);
  char type[OWS_MESSAGE_PEEK_MAX + 1];
  double small;

  g_assert_true (ows_message_peek_type (value_set, strlen (value_set), type));
  g_assert_true (ows_message_peek_type (speak, strlen (speak), type));
  g_assert_true (ows_message_peek_type (upload, strlen (upload), type));

  printf ("OwsMessage type peek versus full parse (json-glib %d.%d.%d)\n",
          JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION);
  report ("gui.value.set, type last", value_set);
  report ("speak, type first", speak);
  report ("gui.page.upload, type last", upload);

  small = MAX (measure (do_peek, value_set), measure (do_peek, speak));
  printf ("goal: ≤ %.0f µs per small unrelated frame (peek) — %s\n",
          GOAL_US, small <= GOAL_US ? "met" : "NOT met");
  return 0;
}
