package io.flowcast.engine.media;

/**
 * What the media server offers in-process publishers: start a publication without a network connection.
 */
public interface InternalPublisher
{
    /**
     * @param app    the application.
     * @param stream the stream name.
     * @return the publication, or null when the name is already published.
     */
    Publication publish(String app, String stream);
}
