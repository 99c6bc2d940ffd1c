/* ows-locale.c: the catalogues and the text direction, for both GTK programs (the window, the sign-in window).
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-locale"

#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "ows-locale.h"
#include "src/ows-build-tree.h"

/* Written right to left: ISO 639 codes, and language_TERRITORY where only
 * that territory writes the language in such a script. */
static const char * const rtl_languages[] = {
  "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "nqo", "ps", "sd", "syr", "ug",
  "ur", "yi", "az_IR", "pa_PK",
};

/* Run from the build tree, the build's own catalogues, so that a translation
 * shows before it is installed. */
const char *
ows_locale_dir (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;

  return g_strcmp0 (dir, OWS_BUILD_WINDOW_DIR) == 0 ? OWS_BUILD_LOCALEDIR : LOCALEDIR;
}

/* NAME as in LANGUAGE or LANG: ll[_TT][.codeset][@modifier]. */
static gboolean
language_is_rtl (const char *name)
{
  g_autofree char *language = g_strndup (name, strcspn (name, "_.@"));
  g_autofree char *territory = g_strndup (name, strcspn (name, ".@"));
  const char *modifier = strchr (name, '@');

  /* sd@devanagari, ks@devanagari, ...: the same language in another script. */
  if (modifier != NULL && (strcmp (modifier, "@latin") == 0 || strcmp (modifier, "@cyrillic") == 0
                           || strcmp (modifier, "@devanagari") == 0))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (rtl_languages); i++)
    if (strcmp (language, rtl_languages[i]) == 0 || strcmp (territory, rtl_languages[i]) == 0)
      return TRUE;

  return FALSE;
}

/* GTK 4.8 takes its direction from its gtk40 catalogue's "default:LTR"
 * through g_dgettext, which translates nothing once a program has set a text
 * domain (ours) without a catalogue for the user's language: GLib's rule
 * against mixing languages. So a Hebrew or Arabic user got a left-to-right
 * window wherever we had no catalogue of theirs, and where GTK had none
 * either. Their first language decides it: call this after gtk_init. */
void
ows_locale_set_direction (void)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char *first = g_get_language_names ()[0];

  /* The C locale ignores LANGUAGE, and the text is English. */
  if (g_strcmp0 (messages, "C") != 0 && g_strcmp0 (messages, "POSIX") != 0
      && language_is_rtl (first))
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  g_debug ("messages locale %s, first language %s: %s", messages, first,
           gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL
           ? "right to left" : "left to right");
}
