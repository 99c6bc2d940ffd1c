/* fuzz-main.c: a fuzz target run over the files it is given, for builds without libFuzzer.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each file is one input, as libFuzzer would hand it over; directories are
 * read recursively, as libFuzzer reads a corpus. One TAP line per input, so
 * that meson names the seed that broke: a failing input aborts, as it does
 * under libFuzzer, and the missing lines say where.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "ows-fuzz.h"

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      collect (child, files);
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* An exact-size copy, so that a sanitizer sees a read past the end as
 * libFuzzer's own buffers would show it. */
static gboolean
run_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *input = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      printf ("# %s\n", error->message);
      return FALSE;
    }
  input = g_malloc (MAX (length, 1));
  memcpy (input, contents, length);
  LLVMFuzzerTestOneInput (input, length);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_paths);

  /* No input would be a test that checks nothing. */
  if (files->len == 0)
    {
      printf ("Bail out! no input files\n");
      return 1;
    }

  printf ("1..%u\n", files->len);
  fflush (stdout);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      gboolean ok = run_file (path);

      printf ("%s %u %s\n", ok ? "ok" : "not ok", i + 1, path);
      fflush (stdout);
      status |= !ok;
    }
  return status;
}
