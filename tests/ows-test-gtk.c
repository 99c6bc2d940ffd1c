/* ows-test-gtk.c: what every GUI test sets up in GTK before its windows.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "ows-test-gtk.h"

/* Call after gtk_init (). @app_style: the app's style sheet, as its
 * AdwApplication loads it (a test without the application). Xvfb has no
 * compositor, so GTK frames windows with a resize border ("solid-csd")
 * that no device shows: screenshots go without it. */
void
ows_test_gtk_styles (gboolean app_style)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) no_frame = gtk_css_provider_new ();

  if (app_style)
    {
      g_autoptr(GtkCssProvider) style = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (style, "/org/openvoiceos/WifiSetup/style.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (style),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  gtk_css_provider_load_from_data (no_frame, "window.solid-csd { margin: 0; padding: 0; "
                                   "border-radius: 0; box-shadow: none; }", -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (no_frame),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
}

/* @widget or its first descendant of @type, depth first; NULL where none is. */
GtkWidget *
ows_test_gtk_find (GtkWidget *widget,
                   GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ows_test_gtk_find (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}
