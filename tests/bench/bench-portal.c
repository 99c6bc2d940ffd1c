/* bench-portal.c: the sign-in window under Xvfb: exec to the portal's first paint, its memory with WebKit's processes.
 * SPDX-License-Identifier: Apache-2.0
 *
 * This process is the captive portal (a SoupServer on 127.0.0.1 whose check
 * address redirects to a small login form); the program under test is the
 * real ovos-wifi-setup-portal, a fresh process each run, as the window
 * starts it when the user taps Sign In. The time of the first paint is the
 * moment we read the sign-in window's own trace line (G_MESSAGES_DEBUG) from
 * its output pipe. Memory is VmRSS and Pss of the program and of every
 * process under it (WebKit's web and network processes), 2 s after that.
 *
 * It reports figures and never fails on a missed goal; it fails (exit 1)
 * when something did not happen in time, after killing what it started.
 */
#define G_LOG_DOMAIN "bench-portal"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "ows-test-peer.h"

#define RUNS 5
#define PAINT_DEADLINE_MS 30000
#define FIRST_PAINT_LINE "first frame of the sign-in page"
#define CHECK_TEXT "NetworkManager is online"

static const char login_page[] =
  "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title>"
  "<meta name=viewport content='width=device-width'></head><body>"
  "<h1>Welcome to the Guest Wi-Fi</h1>"
  "<form method=post action=/login><label>Room number <input name=room autofocus></label>"
  "<button type=submit>Connect</button></form></body></html>";

typedef struct {
  OwsBenchChild bench;
  gint64 painted_us;
} Child;

static void
portal_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *login = user_data;

  if (g_str_equal (path, "/check"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", login);
    }
  else if (g_str_equal (path, "/login"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        login_page, strlen (login_page));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
note_line (const char *line,
           gpointer    user_data)
{
  Child *child = user_data;

  if (child->painted_us == 0 && strstr (line, FIRST_PAINT_LINE) != NULL)
    child->painted_us = g_get_monotonic_time ();
  else if (*line != '\0' && strstr (line, "-DEBUG") == NULL)
    g_printerr ("  [portal %s] %s\n", child->bench.pid, line);
}

static gboolean
painted (gpointer data)
{
  Child *child = data;

  return child->painted_us != 0 || child->bench.exited;
}

static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

/* @pid and every process whose parent is one of them. */
static GPtrArray *
process_tree (const char *pid)
{
  GPtrArray *tree = g_ptr_array_new_with_free_func (g_free);
  gboolean grew = TRUE;

  g_ptr_array_add (tree, g_strdup (pid));
  while (grew)
    {
      g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
      const char *name;

      grew = FALSE;
      while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
        {
          g_autofree char *status = NULL;
          guint64 ppid;
          char parent[32];

          if (!g_ascii_isdigit (*name) ||
              g_ptr_array_find_with_equal_func (tree, name, g_str_equal, NULL))
            continue;
          status = ows_bench_read_status (name, NULL);
          if (status == NULL || !ows_bench_status_field (status, "PPid", &ppid))
            continue;
          g_snprintf (parent, sizeof parent, "%" G_GUINT64_FORMAT, ppid);
          if (g_ptr_array_find_with_equal_func (tree, parent, g_str_equal, NULL))
            {
              g_ptr_array_add (tree, g_strdup (name));
              grew = TRUE;
            }
        }
    }
  return tree;
}

static guint64
pss_kib (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/smaps_rollup", pid);
  g_autofree char *text = NULL;
  guint64 pss = 0;

  if (g_file_get_contents (path, &text, NULL, NULL))
    ows_bench_status_field (text, "Pss", &pss);
  return pss;
}

static int
by_value (gconstpointer a,
          gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;
  g_autofree char *login = NULL;
  GSList *uris;
  double paint_ms[RUNS];
  guint64 rss_main = 0, rss_all = 0, pss_all = 0;
  guint processes = 0;

  ows_bench_init ("bench-portal");
  if (argc < 2)
    ows_bench_fail ("usage: bench-portal PATH-TO-ovos-wifi-setup-portal");

  server = soup_server_new (NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    ows_bench_fail ("cannot listen: %s", error->message);
  uris = soup_server_get_uris (server);
  check = g_strdup_printf ("http://127.0.0.1:%d/check", g_uri_get_port (uris->data));
  login = g_strdup_printf ("http://127.0.0.1:%d/login", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_add_handler (server, NULL, portal_cb, login, NULL);

  for (guint i = 0; i < RUNS; i++)
    {
      const char *command[] = { argv[1], "--check-url", check, "--check-text", CHECK_TEXT,
                                "--", login, NULL };
      g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "all", TRUE);
      Child child = { 0 };

      ows_bench_child_spawn (&child.bench, command, envp, note_line, &child);
      if (!ows_test_wait_until (painted, &child, PAINT_DEADLINE_MS) || child.painted_us == 0)
        ows_bench_fail ("no first paint of the sign-in page within %d ms", PAINT_DEADLINE_MS);
      paint_ms[i] = (child.painted_us - child.bench.spawned_us) / 1000.0;

      /* Memory once, the last run: WebKit's processes have settled by then. */
      if (i == RUNS - 1)
        {
          g_autoptr(GPtrArray) tree = NULL;

          run_for (2000);
          tree = process_tree (child.bench.pid);
          processes = tree->len;
          for (guint k = 0; k < tree->len; k++)
            {
              g_autofree char *status = ows_bench_read_status (tree->pdata[k], NULL);
              guint64 rss = 0;

              if (status != NULL && ows_bench_status_field (status, "VmRSS", &rss))
                {
                  rss_all += rss;
                  if (k == 0)
                    rss_main = rss;
                }
              pss_all += pss_kib (tree->pdata[k]);
            }
        }
      /* SIGTERM is a close before the internet came: status 1. */
      ows_bench_child_stop_with (&child.bench, 1);
    }

  qsort (paint_ms, RUNS, sizeof paint_ms[0], by_value);
  g_print ("ovos-wifi-setup-portal under Xvfb, a login form on 127.0.0.1, a fresh process each run\n");
  g_print ("  exec -> first frame of the sign-in page   %8.1f ms median of %d (min %.1f, max %.1f)\n",
           paint_ms[RUNS / 2], RUNS, paint_ms[0], paint_ms[RUNS - 1]);
  g_print ("  memory 2 s after it, the program          VmRSS %.1f MiB\n", rss_main / 1024.0);
  g_print ("  memory 2 s after it, with WebKit's %u processes  VmRSS %.1f MiB in all, PSS %.1f MiB\n",
           processes - 1, rss_all / 1024.0, pss_all / 1024.0);
  return 0;
}
