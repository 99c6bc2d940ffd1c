/* ows-fuzz.c: what both fuzz targets share: logging that fails loudly.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>

#include <glib.h>

#include "ows-fuzz.h"

#define LOUD (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)

/* GLib ends a fatal message with SIGTRAP, which libFuzzer does not catch
 * (no crash file, no reproducer): abort() instead. Below warnings, only
 * what G_MESSAGES_DEBUG asks for is shown. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if ((level & LOUD) == 0)
    return g_getenv ("G_MESSAGES_DEBUG") != NULL
           ? g_log_writer_default (level, fields, n_fields, user_data)
           : G_LOG_WRITER_HANDLED;

  g_log_writer_default (level, fields, n_fields, user_data);
  abort ();
}

/* A frame is input from a peer: nothing it says deserves a warning. */
void
ows_fuzz_init_logging (void)
{
  g_log_set_always_fatal (LOUD);
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
}
