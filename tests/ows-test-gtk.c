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

static GskRenderNode *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

/* @widget (a window, usually) as it is drawn now, as a PNG at @path. A
 * window just mapped or resized may not have drawn its frame yet: this
 * waits for it, up to 5 s, and aborts the test after that. */
void
ows_test_gtk_save_png (GtkWidget  *widget,
                       const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  while ((node = render (widget)) == NULL && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                              gtk_widget_get_height (widget)));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The widgets of @type under @root that are on screen, laid out (a list
 * view keeps spare rows around), depth first, appended to @found. */
void
ows_test_gtk_collect (GtkWidget *root,
                      GType      type,
                      GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root) &&
      gtk_widget_get_width (root) > 0)
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ows_test_gtk_collect (child, type, found);
}

/* The label on screen under @root whose text is exactly @text; NULL where
 * none is. */
GtkLabel *
ows_test_gtk_label_reading (GtkWidget  *root,
                            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ows_test_gtk_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  return NULL;
}

gboolean
ows_test_gtk_label_shown (gpointer text)
{
  OwsTestGtkText *wanted = text;

  return ows_test_gtk_label_reading (wanted->root, wanted->text) != NULL;
}
