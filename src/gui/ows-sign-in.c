/* ows-sign-in.c: a captive portal's sign-in page, in our sign-in program or else a browser.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A kiosk has no browser, and a phone cannot sign in for the device (a
 * portal admits one device at a time): where WebKitGTK was there to build
 * it, the page opens in ovos-wifi-setup-portal, a program of its own so that
 * the window never carries WebKit. It asks the watchdog's question after
 * each page and ends by itself once the answer is "online". Elsewhere the
 * page goes to whatever opens web pages here, as before.
 */
#define G_LOG_DOMAIN "ows-sign-in"

#include "config.h"

#include "ows-sign-in.h"
#include "src/ows-build-tree.h"

#define PORTAL_PROGRAM "ovos-wifi-setup-portal"
/* The sign-in program's own statuses (src/gui/portal-main.c). */
#define PORTAL_ONLINE 0
#define PORTAL_CLOSED 1

G_DEFINE_QUARK (ows-sign-in-error-quark, ows_sign_in_error)

/* Beside the window's own program: both in libexecdir when installed, both
 * in src/gui in the build tree; a test program elsewhere in the build tree
 * gets the build's. NULL where it was not built. */
static char *
portal_program_path (void)
{
#if HAVE_WEBKIT
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *path = dir != NULL ? g_build_filename (dir, PORTAL_PROGRAM, NULL) : NULL;
  g_autofree char *build_root = g_path_get_dirname (OWS_BUILD_DIR);

  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&path);
  if (self != NULL && g_str_has_prefix (self, build_root)
      && g_file_test (OWS_BUILD_PORTAL_PROGRAM, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (OWS_BUILD_PORTAL_PROGRAM);
  g_debug ("no %s beside %s", PORTAL_PROGRAM, self ? self : "this program");
#endif
  return NULL;
}

static void
shown_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    g_task_return_int (task, OWS_SIGN_IN_BROWSER);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else
    {
      g_debug ("no browser opened %s: %s", (char *) g_task_get_task_data (task), error->message);
      g_clear_error (&error);
      g_task_return_new_error (task, OWS_SIGN_IN_ERROR, OWS_SIGN_IN_ERROR_NO_BROWSER,
                               "No web browser could open %s",
                               (char *) g_task_get_task_data (task));
    }
}

static void
in_browser (GTask *task)
{
  GtkWindow *parent = g_task_get_source_object (task);

  gtk_show_uri_full (parent, g_task_get_task_data (task), GDK_CURRENT_TIME,
                     g_task_get_cancellable (task), shown_cb, task);
}

static void
portal_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (process, result, &error))
    {
      /* Cancelled: the window goes, and the sign-in window with it. */
      g_subprocess_force_exit (process);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_subprocess_get_if_exited (process))
    switch (g_subprocess_get_exit_status (process))
      {
      case PORTAL_ONLINE:
        g_task_return_int (task, OWS_SIGN_IN_ONLINE);
        g_object_unref (task);
        return;
      case PORTAL_CLOSED:
        g_task_return_int (task, OWS_SIGN_IN_CLOSED);
        g_object_unref (task);
        return;
      default:
        break;
      }
  /* It could not show the page (no display for it, a crash): a browser may. */
  g_message ("The sign-in window ended without an answer (%s %d): handing the page to a browser",
             g_subprocess_get_if_exited (process) ? "status" : "signal",
             g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                  : g_subprocess_get_term_sig (process));
  in_browser (task);
}

/* Opens @uri, a captive portal's sign-in page. @check_url and @check_text
 * are the watchdog's question (network_tests), which the sign-in window
 * asks after each page. */
void
ows_sign_in_async (GtkWindow           *parent,
                   const char          *uri,
                   const char          *check_url,
                   const char          *check_text,
                   gboolean             kiosk,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autofree char *program = portal_program_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  GTask *task;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (uri != NULL);

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, ows_sign_in_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);

  if (program != NULL)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();

      g_ptr_array_add (argv, program);
      g_ptr_array_add (argv, "--check-url");
      g_ptr_array_add (argv, (char *) check_url);
      g_ptr_array_add (argv, "--check-text");
      g_ptr_array_add (argv, (char *) check_text);
      if (kiosk)
        g_ptr_array_add (argv, "--kiosk");
      /* Whatever the address holds, it is not an option. */
      g_ptr_array_add (argv, "--");
      g_ptr_array_add (argv, (char *) uri);
      g_ptr_array_add (argv, NULL);
      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
      if (process != NULL)
        {
          g_debug ("signing in at %s in %s", uri, program);
          g_subprocess_wait_async (process, cancellable, portal_done_cb, task);
          return;
        }
      g_message ("Cannot start %s: %s", program, error->message);
    }
  in_browser (task);
}

OwsSignInResult
ows_sign_in_finish (GtkWindow     *parent,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, parent), OWS_SIGN_IN_CLOSED);
  return g_task_propagate_int (G_TASK (result), error);
}
