// A video track that is not a camera: it stands in for a camera that starts off, so a call can
// publish "video, off" without opening the camera (its light stays out). openvidu-browser needs
// a live video track to publish video at all (it waits for the track's size), and a stream
// published without video can never add it later; once published, the stand-in is stopped, and
// turning the camera on puts a real camera track in its place (publishVideo(true, track)).
const SIZE = { width: 640, height: 480 };

export function cameraOffTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE.width;
  canvas.height = SIZE.height;
  const context = canvas.getContext('2d');
  if (context) {
    context.fillStyle = '#000';
    context.fillRect(0, 0, SIZE.width, SIZE.height);
  }
  const [track] = canvas.captureStream(1).getVideoTracks();
  if (!track) throw new Error('This browser cannot make a video track from a canvas.');
  return track;
}
