/* ows-test-messagebus.c: a messagebus alone, for the shell tests that start the manager
 * some other way than with --embedded-bus (D-Bus activation, systemd).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Usage: ows-test-messagebus PORT. Prints "listening on URL" once it does,
 * serves until SIGTERM or SIGINT, exits 1 when it cannot listen.
 */
#include <glib-unix.h>
#include <stdlib.h>

#include "ows-bus-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OwsBusServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (argc != 2 || atoi (argv[1]) <= 0)
    {
      g_printerr ("usage: ows-test-messagebus PORT\n");
      return 2;
    }
  server = ows_bus_server_new ();
  if (!ows_bus_server_listen (server, NULL, atoi (argv[1]), NULL, &error))
    {
      g_printerr ("ows-test-messagebus: %s\n", error->message);
      return 1;
    }
  url = ows_bus_server_dup_url (server);
  g_print ("listening on %s\n", url);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  ows_bus_server_stop (server);
  return 0;
}
